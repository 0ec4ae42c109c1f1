"""The room: participants rate from their phones; the web server, its flow in the window, the vote."""
