"""The local cloud runs each function's instances as threads of one process, where Lambda
gives each its own process: per-request state kept process-wide must not cross threads."""

from __future__ import annotations

import threading

from infra.local.runtime import one_event_per_thread


def test_each_thread_reads_the_event_it_is_handling() -> None:
    """powertools keeps the current event on a class; two requests at once read each
    other's — the season drill saw a profile saved on another candidate's record."""
    from aws_lambda_powertools.event_handler import api_gateway

    one_event_per_thread()
    resolver = api_gateway.APIGatewayHttpResolver()
    api_gateway.BaseRouter.current_event = "mine"  # as resolve() sets it
    seen: list[object] = []

    def another_request() -> None:
        api_gateway.BaseRouter.current_event = "theirs"
        seen.append(resolver.current_event)

    other = threading.Thread(target=another_request)
    other.start()
    other.join()
    assert resolver.current_event == "mine" and seen == ["theirs"]
    assert api_gateway.Router().current_event == "mine"  # a router reads it the same way
