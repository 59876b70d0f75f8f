export { type WebhookConfig, webhookConfigSchema, webhookOptionsFromConfig } from './config.js';
export { type Delivery, type DeliveryOptions, deliver } from './deliver.js';
export { buildPayload, describeDecision, escapeSlack, type WebhookEvent, type WebhookFormat } from './payload.js';
export { createWebhookResponder, redactUrl, type WebhookResponderOptions } from './responder.js';
export { SIGNATURE_HEADER, signBody } from './sign.js';
