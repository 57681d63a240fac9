/**
 * Where the Pulse server lives. Every hubspot.fetch call is built from this one origin, and HubSpot
 * only lets the app fetch origins listed in app-hsmeta.json `permittedUrls.fetch`, so the two must
 * match (test/hubspot-extension/project-config.test.ts checks it, together with the OAuth redirect,
 * the workflow-action URLs and the webhook target). Change all of them together when deploying:
 * docs/hubspot-app.md, "Pointing the app at your Pulse server".
 */
export const PULSE_ORIGIN = 'https://pulse.example.com';

/** hubspot.fetch calls give up after this long; HubSpot's own proxy limit is 15 s. */
export const REQUEST_TIMEOUT_MS = 10_000;
