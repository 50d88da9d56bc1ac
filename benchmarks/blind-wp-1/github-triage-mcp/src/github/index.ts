export * from "./client.js";
export * from "./issues.js";
