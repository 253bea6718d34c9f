"""``make fuzz``: schemathesis against Hazina served on loopback (see ``fuzz.__main__``)."""
