"""The public directory of complaint channels (投诉渠道公示, issue 24): every active
institution in the served office's jurisdiction with its published complaint phone,
accepting department, scope and time limits, grouped by bank and searchable; a page
and a printable poster (with a QR code to the online complaint form) per outlet; and
the office's list of institutions whose published information is incomplete.

Which office: ``settings.PORTAL_OFFICE_CODE`` names it; left empty, every active
supervising office is served, each under its own heading (docs/portal.md)."""
