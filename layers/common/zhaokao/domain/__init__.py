"""Pure rules of a season. Imports nothing above it: no storage, no adapters, no boto3."""
