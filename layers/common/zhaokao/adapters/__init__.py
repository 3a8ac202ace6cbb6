"""The only place that knows the services outside our code: SQS (queues), S3 (objects),
KMS and Secrets Manager (keys, secrets), Step Functions (workflows), the domestic SMS
gateway or SNS in global regions (sms), the payment provider (payments), CloudWatch
metrics (metrics) and the picture check (captcha)."""
