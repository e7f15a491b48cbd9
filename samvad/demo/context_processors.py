from django.conf import settings


def demo(request):
    """`demo_replay`: the demo's replay while it runs, for the pages that show campaign figures
    (a callable, so that only those pages read it; production never installs the demo)."""
    if not settings.SAMVAD_DEMO:
        return {}
    from samvad.demo.models import Replay

    return {"demo_replay": Replay.running}
