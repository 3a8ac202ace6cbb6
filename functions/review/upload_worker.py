"""Upload queue consumer (R4.1–R4.3): inspect every file a candidate uploaded.

S3 sends one event per object; a redelivered event finds the raw upload gone
and changes nothing.
"""

from zhaokao.api.consumer import consumer
from zhaokao.messages import S3_EVENT
from zhaokao.service import documents

handler = consumer("upload-inspection", S3_EVENT, documents.on_upload_event, "inspected")
