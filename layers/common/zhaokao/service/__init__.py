"""Use cases: each wires one domain function to storage and adapters. Handlers call these."""
