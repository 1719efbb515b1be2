"""Parts of the demo forum that build on its people and spaces: its live conference,
its proposal and reactions, and its files."""
