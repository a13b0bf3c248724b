"""Put idle patents to work (盘活存量专利): a holder's inventory, renewal fees, value indicators,
decisions with reasons, and the patents a region should bring in. Definitions: docs/portfolio.md."""

from .fees import FeeProjection, fee_schedule, fee_sources, renewal_fees

__all__ = ["FeeProjection", "fee_schedule", "fee_sources", "renewal_fees"]
