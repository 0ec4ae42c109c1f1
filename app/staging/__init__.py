"""What a --screenshot makes up for an idle sample: a round under way, a room filling up, scenarios."""
