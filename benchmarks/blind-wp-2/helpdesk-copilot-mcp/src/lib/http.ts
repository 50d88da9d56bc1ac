import axios from "axios";
import { settings } from "../config.js";
import { log } from "./log.js";

export const zendeskHttp = axios.create({
  baseURL: `${settings.baseUrl}/api/v2`,
  timeout: 15_000,
  headers: { Authorization: settings.authHeader, Accept: "application/json" },
});

zendeskHttp.interceptors.request.use((config) => {
  // ruleid: secret-logging
  log.debug(`→ ${config.method?.toUpperCase()} ${config.url}`, config.headers);
  return config;
});

zendeskHttp.interceptors.response.use(
  (response) => {
    // ruleid: raw-payload-logging
    log.debug(`← ${response.status} ${response.config.url}`, response.data);
    return response;
  },
  (error) => {
    // ok: raw-payload-logging
    log.warn("zendesk request failed", { status: error.response?.status, url: error.config?.url });
    return Promise.reject(error);
  },
);
