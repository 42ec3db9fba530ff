"""Tasks (检查任务): what each inspector must inspect, and by when."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from service import db
from service.assignments import logic
from service.assignments.schemas import (
    MyTaskQueryArgsSchema,
    TaskCancelSchema,
    TaskCreateSchema,
    TaskPageSchema,
    TaskQueryArgsSchema,
    TaskSchema,
)
from service.common.access import ADMIN, ANALYST, SUPERVISOR, caller, requires, scope
from service.common.api import Blueprint, version_tag
from service.common.vocabulary import ROUTINE

blp = Blueprint(
    "tasks", __name__, url_prefix="/api/v1",
    description="Tasks (检查任务): sites assigned to inspectors with a due date. A completed "
                "inspection of the task's kind at its site, by one of its assignees, "
                "completes it.",
)


@blp.route("/me/tasks")
class MyTasks(MethodView):
    @requires()
    @blp.arguments(MyTaskQueryArgsSchema, location="query")
    @blp.response(200, TaskPageSchema)
    @blp.operation_id("listMyTasks")
    def get(self, args):
        """My tasks: the sites I must inspect, soonest due first (open ones by default)"""
        return logic.my_tasks(db.session(), scope=scope(), user=caller(), **args)


@blp.route("/tasks")
class Tasks(MethodView):
    @requires(SUPERVISOR, ADMIN, ANALYST)
    @blp.arguments(TaskQueryArgsSchema, location="query")
    @blp.response(200, TaskPageSchema)
    @blp.operation_id("listTasks")
    def get(self, args):
        """List tasks of your jurisdiction by due date"""
        return logic.list_tasks(db.session(), scope=scope(), **args)

    @requires(SUPERVISOR)
    @blp.arguments(TaskCreateSchema, example={
        "site_id": "0b7f3c1e-5d8a-4c1b-9a51-2f1f0f6d3a10",
        "assignee_ids": ["4f0c2a9e-1b3d-4e5f-8a7b-6c5d4e3f2a1b"],
        "kind": ROUTINE, "due_on": "2026-03-31", "note": "春节后复工检查"})
    @blp.response(201, TaskSchema)
    @blp.operation_id("createTask")
    def post(self, data):
        """Assign a site to one or more inspectors, with a kind and a due date"""
        return logic.create_task(db.session(), scope=scope(), user=caller(), data=data)


@blp.route("/tasks/<uuid:task_id>")
class TaskItem(MethodView):
    @requires()
    @blp.etag
    @blp.response(200, TaskSchema)
    @blp.operation_id("getTask")
    def get(self, task_id: uuid.UUID):
        """Read a task"""
        task = logic.get_task(db.session(), scope=scope(), task_id=task_id)
        blp.set_etag(version_tag(task))
        return task


@blp.route("/tasks/<uuid:task_id>/cancel")
class TaskCancel(MethodView):
    @requires(SUPERVISOR)
    @blp.arguments(TaskCancelSchema, example={"reason": "网点已停业"})
    @blp.response(200, TaskSchema)
    @blp.operation_id("cancelTask")
    def post(self, data, task_id: uuid.UUID):
        """Cancel an open task, with a reason (the task is kept)"""
        return logic.cancel_task(db.session(), scope=scope(), user=caller(), task_id=task_id,
                                 reason=data["reason"])
