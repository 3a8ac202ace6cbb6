"""Persistence: the only place that knows PynamoDB. Each access pattern has a name."""

# Cold start (issue 11): PynamoDB and botocore make some 200,000 objects that live as long
# as the function. Frozen, the collections our own modules' imports trigger skip them.
import gc

import pynamodb.models  # noqa: F401

gc.freeze()
