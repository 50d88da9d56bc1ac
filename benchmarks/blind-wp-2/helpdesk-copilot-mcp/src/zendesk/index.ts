export * from "./client.js";
export { default as formatTicket } from "./format.js";
