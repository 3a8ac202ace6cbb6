"""Persistence: the only place that knows PynamoDB. Each access pattern has a name."""
