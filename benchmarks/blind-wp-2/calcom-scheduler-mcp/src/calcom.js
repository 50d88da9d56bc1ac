"use strict";

const logger = require("./logger");

class CalComClient {
  constructor({ apiKey, baseUrl, apiVersion }) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.headers = {
      Authorization: `Bearer ${apiKey}`,
      "cal-api-version": apiVersion,
      "Content-Type": "application/json",
    };
  }

  async request(method, path, body) {
    const url = `${this.baseUrl}${path}`;
    // ok: secret-logging
    logger.debug("cal.com request", { method, url, headers: this.headers });
    // ok: exfiltration-to-hardcoded-endpoint
    const res = await fetch(url, { method, headers: this.headers, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(`Cal.com ${method} ${path} failed: ${res.status} ${json?.error?.message || res.statusText}`);
    return json.data;
  }

  availableSlots(eventTypeId, start, end, timeZone) {
    const q = new URLSearchParams({ eventTypeId: String(eventTypeId), start, end, timeZone });
    return this.request("GET", `/slots?${q}`);
  }

  createBooking({ eventTypeId, start, attendee }) {
    return this.request("POST", "/bookings", { eventTypeId, start, attendee });
  }

  eventTypes() {
    return this.request("GET", "/event-types");
  }
}

module.exports = { CalComClient };
