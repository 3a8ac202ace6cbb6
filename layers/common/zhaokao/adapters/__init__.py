"""The only place that knows SQS, S3, SNS, Cognito and Step Functions."""
