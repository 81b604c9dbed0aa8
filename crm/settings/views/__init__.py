"""Settings pages. Every view here is wrapped in `szef_required` (a test walks the URL
configuration and fails on any settings page that answers another rank)."""
