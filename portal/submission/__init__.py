"""The consumer's own case on the public portal: the online complaint (网上投诉), the
progress enquiry (投诉办理查询), additions, the verdict and the result letter.

``services`` writes (through complaints.services and complaints.workflow, acting as
the portal's consumer account), ``selectors`` reads what a consumer may see,
``throttle`` holds the rate limits and the captcha rule, ``views`` parse and render.
"""
