"""Campaigns (专项行动): a named period with its matters and regions."""
