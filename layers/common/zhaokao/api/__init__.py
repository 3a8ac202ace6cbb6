"""The HTTP edge shared by the functions: one error shape, principals and roles."""

# Cold start (issue 11): the resolver and pydantic make objects that live as long as the
# function. Frozen, the collections our own modules' imports trigger skip them.
import gc

import aws_lambda_powertools.event_handler  # noqa: F401

gc.freeze()
