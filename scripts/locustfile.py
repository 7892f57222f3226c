"""The load of `make bench` (scripts/bench_load.py starts it; docs/performance.md): people of
the platform as locust users, each waiting 1–2 s between actions as a person would.

- 填报员 (reporters, weight 40): 我的任务, their task's page, the API's list of their reports, and
  a draft save of their own unit's open report (PATCH with its version; each reporter has a
  report of its own, so no two people edit one report);
- 领导小组办公室 (office, 5) and 领导 (leaders, 5): the dashboard page, /api/dashboard/, the task
  list and a task page.

Accounts come from the JSON file named by BENCH_LOAD_ACCOUNTS, written by bench_load.py: for
each, a session cookie (pages) and an API token (the API), made in the database beforehand, so
that the lockout and the token endpoint's throttle are not what is measured.
"""

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, task

with open(os.environ["BENCH_LOAD_ACCOUNTS"], encoding="utf-8") as f:
    ACCOUNTS: dict[str, list[dict[str, Any]]] = json.load(f)
NEXT = {role: itertools.cycle(people) for role, people in ACCOUNTS.items()}


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 2)

    def on_start(self) -> None:
        self.account = next(NEXT[self.role])
        self.client.cookies.set("sessionid", self.account["session"])
        self.api = {"Authorization": f"Token {self.account['token']}"}
        self.task_ids: list[int] = self.account["task_ids"]

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200 or "登录" in response.url:
                response.failure(f"{response.status_code} {response.url}")

    def task_page(self) -> None:
        self.page(f"/plan/tasks/{random.choice(self.task_ids)}/", "page: task")  # noqa: S311


class Reporter(Person):
    role = "reporter"
    weight = 40

    @task(3)
    def my_tasks(self) -> None:
        self.page("/my/", "page: 我的任务")

    @task(2)
    def a_task(self) -> None:
        self.task_page()

    @task(2)
    def my_reports(self) -> None:
        self.client.get(
            f"/api/progress-reports/?period={self.account['period']}",
            headers=self.api,
            name="api: progress-reports",
        )

    @task(2)
    def save_draft(self) -> None:
        report = self.account["report"]
        body = {
            "status": "on_track",
            "percent": random.randint(10, 90),  # noqa: S311
            # Asked for only when the percent is below the previous period's; dropped otherwise.
            "percent_drop_reason": "资金拨付延后，按实际完成量重新核定。",
            "narrative": f"本周推进情况：完成第{random.randint(1, 99)}项工作。",  # noqa: S311
            "version": report["version"],
        }
        with self.client.patch(
            f"/api/progress-reports/{report['id']}/",
            json=body,
            headers=self.api,
            name="api: save draft",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                report["version"] = response.json()["version"]
            else:
                response.failure(f"{response.status_code} {response.text[:200]}")


class Office(Person):
    role = "office"
    weight = 5

    @task(3)
    def dashboard(self) -> None:
        self.page("/dashboard/", "page: dashboard")

    @task(2)
    def dashboard_api(self) -> None:
        self.client.get("/api/dashboard/", headers=self.api, name="api: dashboard")

    @task(1)
    def task_list(self) -> None:
        self.page("/plan/", "page: task list")

    @task(1)
    def a_task(self) -> None:
        self.task_page()


class Leader(Office):
    role = "leader"
    weight = 5
