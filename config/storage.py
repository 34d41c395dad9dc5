"""The storage of private files (evidence of complaints), chosen by setting.

``ATTACHMENT_STORAGE=local`` (the default) keeps them under ``PRIVATE_MEDIA_ROOT``, a
directory no URL serves. ``ATTACHMENT_STORAGE=s3`` keeps them in an S3-compatible
bucket through django-storages (boto3), so several web servers share one store:

    ATTACHMENT_S3_BUCKET        the bucket (required)
    ATTACHMENT_S3_ENDPOINT_URL  the endpoint of a non-AWS store (MinIO, Ceph, a
                                cloud's S3 API); empty for AWS itself
    ATTACHMENT_S3_REGION        the region, if the store wants one
    ATTACHMENT_S3_PREFIX        a folder inside the bucket (default "private")
    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY   the credentials (or the instance's
                                role when both are unset)

Objects are written private (no public ACL), never overwritten, and read only by the
application: the access-checked views stream them; no presigned link leaves it.
"""

from __future__ import annotations

LOCAL, S3 = "local", "s3"


def private_storage_setting(kind: str, env) -> dict:
    """The ``STORAGES["private"]`` entry for ``kind``; an unknown kind fails at start."""
    kind = (kind or LOCAL).strip().lower()
    if kind == LOCAL:
        return {"BACKEND": "complaints.attachments.PrivateStorage"}
    if kind == S3:
        options = {
            "bucket_name": env.str("ATTACHMENT_S3_BUCKET"),
            "location": env.str("ATTACHMENT_S3_PREFIX", default="private"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        }
        for option, var in (
            ("endpoint_url", "ATTACHMENT_S3_ENDPOINT_URL"),
            ("region_name", "ATTACHMENT_S3_REGION"),
            ("access_key", "AWS_ACCESS_KEY_ID"),
            ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ):
            value = env.str(var, default="")
            if value:
                options[option] = value
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ValueError(f"ATTACHMENT_STORAGE must be {LOCAL!r} or {S3!r}, not {kind!r}")
