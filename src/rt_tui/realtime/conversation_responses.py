"""The responses of a conversation, as the reducer keeps them: each by id in the order it
started, which are still in progress, what request caused each, and its usage counted
once into the totals."""

from __future__ import annotations

import sys

from rt_tui.realtime.conversation_items import ItemList, json_str, update_item
from rt_tui.realtime.conversation_model import Change, Response, Totals, Usage
from rt_tui.realtime.conversation_requests import RequestTracker
from rt_tui.realtime.response_events import ResponseEvent

__all__ = ["ResponseLedger"]


class ResponseLedger:
    """Responses by id, folded from `response.created` / `.done` and credited to the
    request that caused them."""

    def __init__(self, requests: RequestTracker) -> None:
        self.by_id: dict[str, Response] = {}
        """Responses by id, in the order they started."""
        self._in_progress: dict[str, None] = {}
        """Ids of the responses still in progress, oldest first: what `active_id` and
        `interrupted` look at, so neither walks an hour of finished responses."""
        self._requests = requests

    @property
    def active_id(self) -> str | None:
        """The newest response still in progress (what a cancel would stop), if any."""
        return next(reversed(self._in_progress), None)

    def ensure(self, response_id: str) -> Response:
        """The response, created if new and credited to the request that caused it."""
        response = self.by_id.get(response_id)
        if response is None:
            response = self.by_id[response_id] = Response(id=response_id)
            self._in_progress[response_id] = None
            claimed = self._requests.claim()
            if claimed is not None:
                response.timings.request_source, response.timings.requested_ms = claimed
        return response

    def interrupted(self) -> frozenset[str]:
        """The session was lost: every response in progress ends as `incomplete` (reason
        `interrupted`). Returns their ids."""
        ids = frozenset(self._in_progress)
        for response_id in ids:
            response = self.by_id[response_id]
            response.status = "incomplete"
            response.status_reason = "interrupted"
        self._in_progress.clear()
        return ids

    def fold(
        self, event: ResponseEvent, response_id: str, t_ms: float, items: ItemList, totals: Totals
    ) -> Change:
        """`response.created` / `.done` for `response_id`; `.done` also finalises the
        known `items` of its output and counts its usage into `totals` (the session's:
        a new socket starts new ones)."""
        response = self.ensure(response_id)
        if event.status is not None:
            response.status = sys.intern(event.status)  # One copy for every response.
            if response.finished:
                self._in_progress.pop(response_id, None)
            else:
                self._in_progress[response_id] = None
        if event.kind == "response.created":
            response.timings.created_ms = t_ms
            return Change(responses=frozenset({response_id}))
        response.timings.done_ms = t_ms
        details = event.response.get("status_details")
        if isinstance(details, dict):
            response.status_reason = json_str(details, "reason")
            error = details.get("error")
            response.error = error if isinstance(error, dict) else None
        changed_items: set[str] = set()
        output = event.response.get("output")
        for entry in output if isinstance(output, list) else []:
            item_id = json_str(entry, "id") if isinstance(entry, dict) else None
            if item_id is None:
                continue
            item = items.get(item_id)
            if item_id not in response.output_item_ids:
                response.output_item_ids.append(item_id if item is None else item.id)
            if item is not None and isinstance(entry, dict):
                update_item(item, entry, final=True)
                changed_items.add(item_id)
        usage = event.response.get("usage")
        counted = False
        if isinstance(usage, dict) and response.usage is None:
            response.usage = Usage.from_json(usage)
            totals.add(response.usage)
            counted = True
        return Change(
            items=frozenset(changed_items), responses=frozenset({response_id}), totals=counted
        )
