"""The people of `bench/load.py`, for Locust (run headless by that benchmark, in its own process:
Locust patches the standard library with gevent, which the benchmark's own process must not get).

Each simulated person arrives at a random moment of its spawn batch's interval (LOAD_SPREAD_S),
logs in as one of the demo logins (taken in turn from LOAD_LOGINS, a JSON list of [username,
role]), then opens its role's main pages one after another with a pause of 0.5-1.5 x
LOAD_THINK_S between them; officers also send a submission through the form, with its CSRF
token, every SUBMIT_EVERY pages. Requests are named `page`, `login` and `submit`, so that
Locust's statistics give each kind's percentiles. A page must answer 200 and must not be the
login form; a log-in and a submission must answer with their redirect.
"""

import itertools
import json
import os
import random
import re

import gevent
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = "samvad-demo"
PAGES = {
    "state_observer": ["/", "/campaigns/state/", "/campaigns/", "/org/accounts/"],
    "district_admin": [
        "/",
        "/campaigns/",
        "/org/departments/",
        "/advocacy/",
        "/content/audit/",
        "/training/",
    ],
    "editor": [
        "/",
        "/content/review/",
        "/content/calendar/",
        "/content/submissions/",
        "/x/ledger/",
    ],
    "officer": ["/", "/content/submissions/", "/advocacy/", "/training/progress/"],
    "employee": ["/", "/advocacy/me/", "/training/", "/training/materials/"],
}
SUBMIT_EVERY = 4
FORM = "/content/submissions/new/achievement/"
# Looked for in the raw bytes: decoding every page (Hindi, 10-30 KB) would cost the load
# generator more of the machine it shares with the app.
LOGIN_FORM = b'name="password"'
THINK_S = float(os.environ.get("LOAD_THINK_S", "1"))
# Locust starts its people in batches, floor(spawn rate) of them at the same instant once a
# second: 20 log-ins at once, every second, for a crowd that should arrive evenly. Each person
# waits a random moment of the batch's interval before logging in, so arrivals are spread.
SPREAD_S = float(os.environ.get("LOAD_SPREAD_S", "0"))
LOGINS = itertools.cycle(json.loads(os.environ.get("LOAD_LOGINS", "[]")))


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


class Person(FastHttpUser):
    wait_time = between(0.5 * THINK_S, 1.5 * THINK_S)

    def on_start(self) -> None:
        self.username, self.role = next(LOGINS)
        gevent.sleep(random.uniform(0, SPREAD_S))
        self.n = 0
        form = self.client.get("/login/", name="page")
        with self.client.post(
            "/login/",
            name="login",
            allow_redirects=False,
            catch_response=True,
            data={
                "csrfmiddlewaretoken": _csrf(form.text),
                "username": self.username,
                "password": PASSWORD,
            },
        ) as answer:
            location = answer.headers.get("Location", "") if answer.headers else ""
            if answer.status_code != 302 or "/login/" in location:
                answer.failure(f"log-in of {self.username}: {answer.status_code} {location}")

    @task
    def browse(self) -> None:
        self.n += 1
        if self.role == "officer" and self.n % SUBMIT_EVERY == 0:
            self.submit()
            return
        pages = PAGES[self.role]
        with self.client.get(pages[self.n % len(pages)], name="page", catch_response=True) as page:
            if page.status_code == 200 and LOGIN_FORM in (page.content or b""):
                page.failure("the login page instead")

    def submit(self) -> None:
        form = self.client.get(FORM, name="page")
        if form.status_code != 200:
            return
        department = re.search(
            r'<select name="department".*?<option value="(\d+)"', form.text, re.S
        )
        with self.client.post(
            FORM,
            name="submit",
            allow_redirects=False,
            catch_response=True,
            data={
                "csrfmiddlewaretoken": _csrf(form.text),
                "department": department.group(1),
                "title": f"भार परीक्षण {self.username}",
                "what": "हर घर जल: नए नल कनेक्शन",
                "language": "hi",
                "priority": "0",
                "photos-TOTAL_FORMS": "0",
                "photos-INITIAL_FORMS": "0",
            },
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"submission refused: {answer.status_code}")
