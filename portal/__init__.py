"""The consumer's side (issue 24): public, no login, on the open internet.

``portal.directory`` publishes the complaint channels (投诉渠道公示) and the outlet
posters; ``portal.submission`` takes online complaints (网上投诉), answers progress
enquiries (投诉办理查询) and records the consumer's verdict. Both go through the same
services as staff (complaints.services, complaints.workflow): the portal adds no rule
of its own about complaints, only what the public surface needs — throttling, captcha,
the tracking secret and what a consumer may see."""
