// Live updates and posting without reload are added by the live-delivery layer.
