import difflib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samvad.audit.models import AuditEvent
from samvad.content import forms, kruti
from samvad.content.access import (
    SUBMITTERS,
    editable_posts,
    editor_submissions,
    unsent_photos,
    visible_media,
    visible_submissions,
)
from samvad.content.models import (
    EDITABLE,
    IST,
    Blackout,
    DistrictSettings,
    FourEyesError,
    Media,
    Post,
    Submission,
    TransitionError,
)
from samvad.org import access, sql
from samvad.org.access import AUTHENTICATED, DISTRICT_STAFF, MANAGERS, Role
from samvad.org.models import Department, OfficialAccount
from samvad.org.pages import page_of
from samvad.platforms.x import text as xtext
from samvad.platforms.x.ledger import post_price

# Department intake ------------------------------------------------------------------------------

# The columns the lists of submissions show (the department's name in either language): fifty rows
# built without the bodies and details they never show.
LISTED = (
    "title",
    "kind",
    "state",
    "priority",
    "editor_comment",
    "created",
)


@access.allow(*SUBMITTERS)
def submission_list(request):
    state = request.GET.get("state")
    listed = _Listed(
        request.user,
        state=state if state in Submission.State.values else "",  # the home's "returned" link
        department_name=Department.name_field(),
    )
    return render(
        request,
        "content/submission_list.html",
        {
            "submissions": page_of(request, listed),
            "kinds": Submission.Kind.choices,
            # A row links to its number under this address: one reverse a page, not fifty.
            "submissions_url": reverse("content:submission_list"),
        },
    )


class _Listed:
    """For the Paginator: the submissions of the departments the user manages (what
    access.managed_departments chooses: an admin's district's, an officer's own; an editor's
    whole district is the review queue's), newest first, with or without a state.

    The list is the page officers open most. Its two queries are written out (org/sql.py says
    why: about 1.5 ms a page), and its fifty rows are plain values with their labels looked up
    once a page: model instances and a get_FOO_display with its translation for each row cost
    the list about 6 ms (of 15) once a department has a full page."""

    def __init__(self, user, *, state: str, department_name: str):
        scope, self.params = [], []
        for column, ids in (
            ("district_id", access.admin_districts(user)),
            ("id", access.officer_departments(user)),
        ):
            if ids:
                scope.append(f"d.{column} IN ({sql.placeholders(ids)})")
                self.params += sorted(ids)
        if state:
            self.params.append(state)
        self.where = (
            " FROM content_submission s JOIN org_department d ON d.id = s.department_id"
            f" WHERE ({' OR '.join(scope)})" + (" AND s.state = %s" if state else "")
        )
        self.department_name = department_name
        self.manages = bool(scope)

    def count(self) -> int:
        if not self.manages:
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*)" + self.where, self.params)
            return cursor.fetchone()[0]

    def __getitem__(self, window: slice) -> list[dict]:
        if not self.manages or window.stop <= window.start:
            return []
        query = (
            "SELECT s.id, s.title, s.kind, s.state, s.editor_comment, s.created,"
            f" d.{self.department_name} {self.where}"
            " ORDER BY s.created DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(query, [*self.params, window.stop - window.start, window.start])
            rows = sql.with_datetimes(cursor.fetchall(), 5)
        kinds, states = _labels(Submission.Kind), _labels(Submission.State)
        return [
            {
                "pk": pk,
                "title": title,
                "editor_comment": comment,
                "kind": kinds.get(kind, kind),
                "department": department,
                "state": state,
                "state_label": states.get(state, state),
                "created": created,
            }
            for pk, title, kind, state, comment, created, department in rows
        ]


def _labels(choices) -> dict[str, str]:
    """Each choice's label in the language of the page, by value."""
    return {value: str(label) for value, label in choices.choices}


def _photo_forms(request, district_id: int | None):
    """The photo forms. Each photo that passes its checks is kept at once (Media.keep) and the
    forms are bound again carrying its id, so that a mistake anywhere in the page loses no photo."""

    def unsent():  # the photos a slot may carry: built only by a slot that carries one
        return unsent_photos(request.user)

    photos = forms.PhotoFormSet(
        request.POST or None, request.FILES or None, prefix="photos", form_kwargs={"unsent": unsent}
    )
    if request.method != "POST" or district_id is None:
        return photos
    photos.is_valid()
    data, files = request.POST.copy(), request.FILES.copy()
    for form in photos:
        if image := form.cleaned_data.get("image"):
            kept = Media.keep(image, by=request.user, district_id=district_id)
            data[form.add_prefix("kept")] = kept.pk
            files.pop(form.add_prefix("image"))
    photos = forms.PhotoFormSet(data, files, prefix="photos", form_kwargs={"unsent": unsent})
    photos.is_valid()  # each form knows the photo it keeps, whatever the rest of the page says
    return photos


def _save_photos(submission, formset) -> None:
    for form in formset:
        if media := form.cleaned_data.get("kept"):
            submission.add_photo(
                media, caption=form.cleaned_data["caption"], alt_text=form.cleaned_data["alt_text"]
            )


@access.allow(*MANAGERS)
def submission_create(request, kind: str):
    form_class = forms.KIND_FORMS.get(kind) or _raise404()
    departments = access.managed_departments(request.user)
    form = form_class(request.POST or None, departments=departments)
    # The district is needed only to keep sent photos: a page without any (an empty form, or a
    # submission without photos) does without the query.
    district_id = departments.values_list("district", flat=True).first() if request.FILES else None
    photos = _photo_forms(request, district_id)
    if request.method == "POST" and form.is_valid() and photos.is_valid():
        with transaction.atomic():
            submission = Submission.send(
                by=request.user, kind=form.kind, **form.submission_fields()
            )
            _save_photos(submission, photos)
        messages.success(request, _("Your submission has been sent to the DIPR office."))
        return redirect("content:submission_detail", submission.pk)
    context = {"form": form, "photos": photos, "kind_label": Submission.Kind(kind).label}
    return render(request, "content/submission_form.html", context)


def _raise404():
    raise Http404


@access.allow(*SUBMITTERS)
def submission_detail(request, pk: int):
    submission = get_object_or_404(visible_submissions(request.user), pk=pk)
    is_editor = submission.department.district_id in access.editor_districts(request.user)
    context = {
        "submission": submission,
        "details": [
            (forms.DETAIL_LABELS[k], v)
            for k, v in submission.details.items()
            if k in forms.DETAIL_LABELS
        ],
        "photos": submission.photos.all(),
        "posts": submission.posts.in_thread_order(),
        "history": AuditEvent.objects.history(submission),
        "is_editor": is_editor,
        "comment_form": forms.CommentForm(),
        "reason_form": forms.ReasonForm(),
    }
    return render(request, "content/submission_detail.html", context)


@access.allow(*MANAGERS)
def submission_edit(request, pk: int):
    """The officer corrects a returned submission and sends it again."""
    submission = get_object_or_404(
        Submission.objects.filter(department__in=access.managed_departments(request.user)), pk=pk
    )
    if not submission.can_be_edited:
        raise PermissionDenied
    form_class = forms.KIND_FORMS[submission.kind]
    initial = {
        "department": submission.department,
        "title": submission.title,
        "body": submission.body,
        "language": submission.language,
        "priority": submission.priority,
        "preferred_date": submission.preferred_date,
        **submission.details,
    }
    form = form_class(
        request.POST or None, initial=initial, departments=access.managed_departments(request.user)
    )
    photos = _photo_forms(request, submission.department.district_id)
    if request.method == "POST" and form.is_valid() and photos.is_valid():
        data = form.cleaned_data
        fields = ("title", "body", "language", "priority", "preferred_date")
        with transaction.atomic():
            submission.edit(
                by=request.user, details=form.details(), **{name: data[name] for name in fields}
            )
            _save_photos(submission, photos)
            submission.resubmit(by=request.user)
        messages.success(request, _("Your submission has been sent to the DIPR office."))
        return redirect("content:submission_detail", submission.pk)
    context = {
        "form": form,
        "photos": photos,
        "submission": submission,
        "sent_photos": submission.photos.all(),
        "kind_label": submission.get_kind_display(),
    }
    return render(request, "content/submission_form.html", context)


@require_POST
@access.allow(AUTHENTICATED)
def kruti_suggestion(request):
    """htmx: the field's text in Unicode, for the person to accept or ignore, if it looks typed
    in Kruti Dev; nothing otherwise."""
    names = [name for name in request.POST if name != "csrfmiddlewaretoken"]
    if len(names) != 1:
        return HttpResponse(status=400)
    text = request.POST[names[0]]
    suggestion = kruti.suggestion(text) if len(text) <= xtext.MAX_TEXT_LENGTH else None
    context = {"kruti": suggestion, "field_id": f"id_{names[0]}"}
    return render(request, "content/_kruti.html", context)


# Review ------------------------------------------------------------------------------------------


# The review queue's columns, in the order its rows unpack them (then its department's name).
QUEUED = (
    "pk",
    "title",
    "kind",
    "priority",
    "created",
)


@access.allow(*DISTRICT_STAFF)
def review_queue(request):
    departments = access.visible_departments(request.user).filter(
        district__in=access.editor_districts(request.user)
    )
    queue = (
        editor_submissions(request.user)
        .filter(state=Submission.State.SUBMITTED)
        .order_by("-priority", "created")
    )
    filters = forms.QueueFilterForm(request.GET or None, departments=departments)
    department_name = f"department__{Department.name_field()}"
    page = page_of(request, filters.filter(queue).values_list(*QUEUED, department_name))
    # Each row as the strings it shows, its labels looked up once a page: fifty model instances,
    # fifty translations of each label and the template's attribute lookups cost about 3 ms.
    url = reverse("content:submission_list")
    kinds = {value: str(label) for value, label in Submission.Kind.choices}
    priorities = {value: str(label) for value, label in Submission.Priority.choices}
    page.object_list = [
        (
            f"{url}{pk}/",
            title,
            kinds.get(kind, kind),
            department,
            priorities.get(priority, priority),
            created,
        )
        for pk, title, kind, priority, created, department in page.object_list
    ]
    return render(request, "content/review_queue.html", {"queue": page, "filters": filters})


def _editor_submission(request, pk):
    return get_object_or_404(editor_submissions(request.user), pk=pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def submission_return(request, pk: int):
    submission = _editor_submission(request, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        submission.return_for_changes(by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, _("The submission was returned to the department."))
    return redirect("content:submission_detail", pk)


@require_POST
@access.allow(*DISTRICT_STAFF)
def submission_reject(request, pk: int):
    submission = _editor_submission(request, pk)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        submission.reject(by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The submission was rejected."))
    return redirect("content:submission_detail", pk)


def suggest_hashtags(district, submission, text: str, accounts=()) -> list[str]:
    """District and scheme hashtags that the text does not have yet."""
    tags = [district.name_en.replace(" ", ""), district.name_hi]
    tags += [account.handle for account in accounts]
    if submission is not None and submission.kind == Submission.Kind.SCHEME:
        tags.append(submission.details.get("scheme_name") or submission.title)
    tags = [xtext.hashtag_from(tag) for tag in tags]
    present = {tag.lower() for tag in xtext.extract_hashtags(text)}
    unique = dict.fromkeys(f"#{tag}" for tag in tags if tag and tag.lower() not in present)
    return list(unique)


@require_POST
@access.allow(*DISTRICT_STAFF)
def counter(request):
    """htmx: weighted length, the thread it would make, its cost, hashtags and a preview."""
    district = access.user_district(request.user)
    text = request.POST.get("text", "")
    if len(text) > xtext.MAX_TEXT_LENGTH:
        return render(request, "content/_counter.html", {"too_long": xtext.TEXT_TOO_LONG})
    numbered = request.GET.get("numbered", "1") == "1"
    submission = (
        visible_submissions(request.user).filter(pk=request.GET.get("submission")).first()
        if request.GET.get("submission", "").isdigit()
        else None
    )
    parts = xtext.split_thread(text, numbered=numbered) if text.strip() else []
    accounts = OfficialAccount.objects.filter(district=district, department__isnull=True)
    context = {
        "length": xtext.weighted_length(text),
        "limit": xtext.MAX_WEIGHTED_LENGTH,
        "parts": [
            {"text": part, "length": xtext.weighted_length(part), "cost": post_price(part)}
            for part in parts
        ],
        "cost": sum((post_price(part) for part in parts), Decimal(0)),
        "hashtags": suggest_hashtags(district, submission, text, accounts),
        "account": accounts.first(),
        "kruti": kruti.suggestion(text),
    }
    return render(request, "content/_counter.html", context)


@access.allow(*DISTRICT_STAFF)
def compose(request, pk: int | None = None):
    """Turn a submission (or nothing) into a post or a thread of draft posts."""
    submission = _editor_submission(request, pk) if pk else None
    district = submission.department.district if submission else access.user_district(request.user)
    photos = submission.photos.all() if submission else Media.objects.none()
    initial = {"text": _draft_text(submission)} if submission else {}
    form = forms.ComposerForm(
        request.POST or None,
        initial=initial,
        photos=photos,
        accounts=OfficialAccount.objects.filter(district=district),
    )
    counter_url = reverse("content:counter")
    form.fields["text"].widget.attrs["hx-post"] = f"{counter_url}?submission={pk or ''}"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        thread = {
            "by": request.user,
            "texts": form.texts(),
            "account": data["account"],
            "media": [(m, m.alt_text) for m in data["photos"]],
        }
        root = Post.create_thread(district=district, submission=submission, **thread)
        messages.success(request, _("The draft is saved."))
        return redirect("content:post_detail", root.pk)
    return render(request, "content/compose.html", {"form": form, "submission": submission})


def _draft_text(submission) -> str:
    lines = [submission.title, submission.body]
    lines += [str(v) for k, v in submission.details.items() if k in ("link", "helpline")]
    return "\n\n".join(line for line in lines if line)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) segments: op is "=", "-" or "+"; words compared, so Hindi diffs read well."""
    a, b = old.split(" "), new.split(" ")
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            segments.append(("=", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            segments.append(("-", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("+", " ".join(b[j1:j2])))
    return segments


@access.allow(*DISTRICT_STAFF)
def post_detail(request, pk: int):
    post = get_object_or_404(editable_posts(request.user).select_related("account"), pk=pk)
    if post.state not in EDITABLE:  # on X, on its way there, or rejected: there is no form
        if request.method == "POST":
            messages.error(request, _("This cannot be done to the post in its present state."))
            return redirect("content:post_detail", pk)
        return _post_page(request, post, form=None)
    form = forms.PostEditForm(request.POST or None, post=post, initial={"text": post.text})
    form.fields["text"].widget.attrs["hx-post"] = (
        f"{reverse('content:counter')}?submission={post.submission_id or ''}"
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = post.edit(
                by=request.user, text=form.cleaned_data["text"], alt_texts=form.alt_texts()
            )
        except TransitionError:
            raise PermissionDenied from None
        if changed:
            messages.success(request, _("The post is saved."))
        return redirect("content:post_detail", pk)
    return _post_page(request, post, form)


def _post_page(request, post, form):
    versions = list(post.versions.select_related("created_by"))
    pairs = zip(versions, versions[1:], strict=False)
    diffs = [(new, word_diff(old.text, new.text)) for old, new in pairs]
    context = {
        "post": post,
        "thread": post.thread.select_related("account"),
        "form": form,
        "attachments": form.attachments if form else post.attachments(),
        "versions": versions,
        "diffs": list(reversed(diffs)),
        "comment_form": forms.CommentForm(),
        "reason_form": forms.ReasonForm(),
        "schedule_form": forms.ScheduleForm(
            initial={"scheduled_at": (post.scheduled_at or timezone.now()).astimezone(IST)}
        ),
        "cost": post_price(post.text),
        "history": AuditEvent.objects.history(post),
    }
    return render(request, "content/post_detail.html", context)


def _thread_action(post, action: str, request):
    """Apply an action to every post of the thread that it applies to."""
    thread = list(post.thread)
    if action == "submit":
        for item in thread:
            if item.state in (Post.State.DRAFT, Post.State.CHANGES_REQUESTED):
                item.submit(by=request.user)
    elif action == "approve":
        Post.approve_thread(thread, by=request.user)
    elif action == "return":
        form = forms.CommentForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Write a comment."))
        for item in thread:
            if item.state in (Post.State.SUBMITTED, Post.State.APPROVED, Post.State.FAILED):
                item.return_for_changes(by=request.user, comment=form.cleaned_data["comment"])
    elif action == "reject":
        form = forms.ReasonForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Write a reason."))
        for item in thread:
            item.reject(by=request.user, reason=form.cleaned_data["reason"])
    elif action == "schedule":
        form = forms.ScheduleForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a date and time."))
        for item in thread:
            item.schedule(at=form.cleaned_data["scheduled_at"], by=request.user)
    elif action == "retry":
        for item in thread:
            if item.state == Post.State.FAILED:
                item.retry(by=request.user)
    else:
        raise Http404


@require_POST
@access.allow(*DISTRICT_STAFF)
def post_action(request, pk: int, action: str):
    post = get_object_or_404(editable_posts(request.user), pk=pk)
    try:
        with transaction.atomic():
            _thread_action(post, action, request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except FourEyesError:
        messages.error(
            request, _("Another editor must approve this post: you wrote or last edited it.")
        )
    except TransitionError:
        messages.error(request, _("This cannot be done to the post in its present state."))
    return redirect("content:post_detail", pk)


# Media ------------------------------------------------------------------------------------------


@access.allow(*SUBMITTERS)
def media(request, pk: int):
    """An uploaded image, to those who may see its submission or post; never sniffed as HTML."""
    item = get_object_or_404(visible_media(request.user), pk=pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="{item.file.name.rsplit("/", 1)[-1]}"'
    return response


# Calendar ---------------------------------------------------------------------------------------


def _parse_day(value: str | None) -> date:
    """The day asked for, or today for a missing or unreadable one; a day far from today (the
    calendar's arithmetic would overflow near year 9999) is refused."""
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise BadRequest(_("The calendar shows days from 2000 to 2100."))
    return day


@access.allow(*DISTRICT_STAFF)
def calendar(request):
    # The district's id is all this page needs (access.user_district would read its row): the
    # oldest of the user's, as there.
    district = min(access.editor_districts(request.user), default=None)
    if district is None:
        raise Http404
    view = "month" if request.GET.get("view") == "month" else "week"
    day = _parse_day(request.GET.get("date"))
    if view == "week":
        first = day - timedelta(days=day.weekday())
        days = [first + timedelta(days=n) for n in range(7)]
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
    else:
        first = day.replace(day=1)
        start = first - timedelta(days=first.weekday())
        following = (first + timedelta(days=32)).replace(day=1)
        previous = (first - timedelta(days=1)).replace(day=1)
        days = [start + timedelta(days=n) for n in range(((following - start).days + 6) // 7 * 7)]
    begin = datetime.combine(days[0], time.min, IST)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, IST)
    # The filter's options as (id, name): fifteen departments as whole models, compared one by
    # one in the template to find the chosen one, cost more than the query.
    departments = list(
        access.visible_departments(request.user)
        .filter(district=district)
        .values_list("pk", Department.name_field())
    )
    wanted = request.GET.get("department", "")
    wanted = int(wanted) if wanted.isdigit() else None
    department = wanted if any(pk == wanted for pk, _name in departments) else None
    posts = (
        Post.objects.filter(district=district)
        .filter(
            Q(scheduled_at__gte=begin, scheduled_at__lt=end)
            | Q(published_at__gte=begin, published_at__lt=end)
        )
        .exclude(state=Post.State.REJECTED)
        .select_related("department", "account")
    )
    if department:
        posts = posts.filter(department=department)
    by_day = {d: [] for d in days}
    for post in posts.order_by("scheduled_at"):
        when = (post.published_at or post.scheduled_at).astimezone(IST).date()
        by_day.setdefault(when, []).append(post)
    district_settings = DistrictSettings.objects.get_or_create(district_id=district)[0]
    is_admin = district in access.admin_districts(request.user)
    context = {
        "view": view,
        "day": day,
        "month": first,
        "previous": previous,
        "following": following,
        "weeks": [[(d, by_day[d]) for d in days[i : i + 7]] for i in range(0, len(days), 7)],
        "departments": departments,
        "department": department,
        "blackouts": Blackout.objects.filter(
            district=district, ends_at__gte=begin, starts_at__lt=end
        ),
        "best_hours": list(Post.objects.best_hours(district)[:3]),
        "is_admin": is_admin,
        "paused": district_settings.publishing_paused,
        "four_eyes": district_settings.four_eyes,
        "blackout_form": forms.BlackoutForm() if is_admin else None,  # only an admin adds one
    }
    return render(request, "content/calendar.html", context)


@require_POST
@access.allow(Role.DISTRICT_ADMIN)
def blackout_create(request):
    district = access.user_district(request.user, admin=True)
    form = forms.BlackoutForm(
        request.POST, instance=Blackout(district=district, created_by=request.user)
    )
    if form.is_valid():
        form.instance.add(by=request.user)
        messages.success(request, _("The blackout period is saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("content:calendar")


@require_POST
@access.allow(Role.DISTRICT_ADMIN)
def blackout_delete(request, pk: int):
    blackout = get_object_or_404(
        Blackout.objects.filter(district__in=access.admin_districts(request.user)), pk=pk
    )
    blackout.remove(by=request.user)
    return redirect("content:calendar")


@require_POST
@access.allow(Role.DISTRICT_ADMIN)
def pause_toggle(request):
    district = access.user_district(request.user, admin=True)
    district_settings = DistrictSettings.of(district)
    district_settings.set_paused(not district_settings.publishing_paused, by=request.user)
    if district_settings.publishing_paused:
        messages.success(request, _("All publishing is paused."))
    else:
        messages.success(request, _("Publishing has resumed."))
    return redirect("content:calendar")


@require_POST
@access.allow(Role.DISTRICT_ADMIN)
def four_eyes_toggle(request):
    district = access.user_district(request.user, admin=True)
    district_settings = DistrictSettings.of(district)
    district_settings.set_four_eyes(not district_settings.four_eyes, by=request.user)
    if district_settings.four_eyes:
        messages.success(request, _("From now on a second editor approves each post."))
    else:
        messages.success(request, _("Editors may now approve posts they wrote."))
    return redirect("content:calendar")
