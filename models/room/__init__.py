"""The room: participants rate from their own phones; its thread-safe state and durable ledger."""
