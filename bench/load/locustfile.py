"""The learners of the load test (locust; bench/load/run.sh starts it).

Each simulated learner is one of the sessions in the plan (bench/load/
prepare.py) and, with no pause between requests (or at random intervals,
``LOAD_RATE`` tasks a second on average), makes this mix of requests:
70 % lesson pages, 15 % «Позначити як пройдене» (POST), 10 % «Моє навчання»,
5 % quizzes (start: POST and redirect, the attempt page, submit with an answer
to every question: three requests). Every write the site acknowledged is
recorded — the lesson marked, the quiz attempt graded — and written to
``LOAD_ACKS`` when the run stops, for bench/load/check_writes.py.

Requests go to nginx on 127.0.0.1; the browser's cookies and the CSRF pair
(a cookie and the same secret in the form) are sent by hand, since the site's
cookies are marked Secure and nginx simulates HTTPS.
"""

import json
import os
import random
import re
import threading
import time
from html.parser import HTMLParser
from itertools import count
from urllib.parse import urlsplit

from locust import FastHttpUser, events, task

with open(os.environ["LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
ORIGIN = os.environ.get("LOAD_ORIGIN", "http://127.0.0.1:8080")
ACKS = {"lesson_marks": [], "quiz_submits": []}
ACKS_LOCK = threading.Lock()
_next_user = count()
ATTEMPT_PATH = re.compile(r"/attempt/(\d+)/?$")
REFUSAL = re.compile(r'class="form-field__error"[^>]*>([^<]*)<')


class AttemptForm(HTMLParser):
    """Picks an answer for every question of the attempt page's form.

    The first choice of a radio or checkbox group, "1" for a typed answer,
    and for the selects of one question (matching, ordering) different
    options in turn, so that an ordering is a permutation.
    """

    def __init__(self):
        super().__init__()
        self.answers = {}
        self.hidden = {}
        self.selects = []  # (name, [option values])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                self.answers.setdefault(name, attrs.get("value", ""))
            elif kind == "text":
                self.answers.setdefault(name, "1")
            elif kind == "hidden":
                self.hidden.setdefault(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self.selects.append((name, []))
        elif tag == "option" and self.selects and attrs.get("value"):
            self.selects[-1][1].append(attrs["value"])

    def result(self) -> dict:
        seen = {}
        for name, options in self.selects:
            if options:
                turn = seen.get(tuple(options), 0)
                self.answers[name] = options[turn % len(options)]
                seen[tuple(options)] = turn + 1
        return {**self.hidden, **self.answers}


class Learner(FastHttpUser):
    # Every request is sent as soon as the previous one is answered, unless
    # LOAD_RATE gives each learner a pace (tasks per second): then the load
    # offered is fixed and the latencies show how the site answers it. The
    # gaps between a learner's tasks are random (exponential, LOAD_RATE on
    # average), so that 200 learners' requests arrive independently, as
    # people's do. A fixed pace would not do: locust starts its users in
    # batches (--spawn-rate of them at the same instant, every second) and
    # each batch would stay in step for the whole run, its requests arriving
    # together.
    RATE = float(os.environ.get("LOAD_RATE") or 0)

    def wait_time(self):
        if not self.RATE:
            return 0
        now = time.monotonic()
        self.next_start = max(self.next_start + self.random.expovariate(self.RATE), now)
        return self.next_start - now

    def on_start(self):
        number = next(_next_user)
        person = PLAN["users"][number % len(PLAN["users"])]
        self.user_id = person["id"]
        secret = PLAN["csrf_secret"]
        self.headers = {
            "Cookie": f"{PLAN['session_cookie']}={person['session']}; "
            f"{PLAN['csrf_cookie']}={secret}",
            "Origin": ORIGIN,
            "Referer": ORIGIN + "/",
        }
        self.csrf = secret
        self.random = random.Random(number)
        self.next_start = time.monotonic()

    def _get(self, url, name):
        return self.client.get(url, headers=self.headers, name=name)

    @task(210)
    def read_lesson(self):
        lesson = self.random.choice(PLAN["lessons"])
        self._get(lesson["url"], "lesson")

    @task(45)
    def mark_lesson_done(self):
        lesson = self.random.choice(PLAN["lessons"])
        with self.client.post(
            lesson["complete"],
            data={"csrfmiddlewaretoken": self.csrf},
            headers={**self.headers, "Referer": ORIGIN + lesson["url"]},
            name="mark done",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (302, 303):
                with ACKS_LOCK:
                    ACKS["lesson_marks"].append([self.user_id, lesson["id"]])
                response.success()
            else:
                response.failure(f"status {response.status_code}")

    @task(30)
    def my_learning(self):
        self._get(PLAN["dashboard"], "dashboard")

    @task(5)
    def take_quiz(self):
        quiz = self.random.choice(PLAN["quizzes"])
        with self.client.post(
            quiz["url"] + "start/",
            data={"csrfmiddlewaretoken": self.csrf},
            headers={**self.headers, "Referer": ORIGIN + quiz["url"]},
            name="quiz start",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            match = ATTEMPT_PATH.search(location.split("?")[0])
            if response.status_code != 302 or not match:
                response.failure(f"status {response.status_code} {location}")
                return
            response.success()
        attempt_url = urlsplit(location).path
        number = int(match.group(1))
        page = self._get(attempt_url, "quiz attempt page")
        if page.status_code != 200:
            return
        form = AttemptForm()
        form.feed(page.text)
        data = {
            **form.result(),
            "csrfmiddlewaretoken": self.csrf,
            "action": "submit",
        }
        with self.client.post(
            attempt_url,
            data=data,
            headers={**self.headers, "Referer": ORIGIN + attempt_url},
            name="quiz submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # The result page answers a graded submit; the attempt page again
            # (status 200 too) would mean the answers were refused.
            if response.status_code == 200 and "data-result-url" in response.text:
                with ACKS_LOCK:
                    ACKS["quiz_submits"].append([self.user_id, quiz["id"], number])
                response.success()
            else:
                refused = REFUSAL.search(response.text or "")
                reason = refused.group(1).strip() if refused else ""
                response.failure(f"status {response.status_code} {reason}")


@events.quitting.add_listener
def write_acknowledged(environment, **kwargs):
    path = os.environ.get("LOAD_ACKS")
    if path:
        with ACKS_LOCK, open(path, "w", encoding="utf-8") as out:
            json.dump(ACKS, out)
