"""Webhooks: signed deliveries of public events to endpoints registered by the
secretariat (site-wide) or by a space's owners (for their space)."""
