export * from "./api.js";
export { SLACK_API } from "./constants.js";
