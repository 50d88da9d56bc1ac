export interface PostboxConfig {
  serverToken: string;
  defaultSender: string;
  messageStream: string;
  logLevel: string;
}

function loadConfig(): PostboxConfig {
  const serverToken = process.env.POSTMARK_SERVER_TOKEN;
  if (!serverToken) {
    console.error("POSTMARK_SERVER_TOKEN is not set");
    process.exit(1);
  }
  return {
    serverToken,
    defaultSender: process.env.DEFAULT_SENDER_EMAIL ?? "",
    messageStream: process.env.DEFAULT_MESSAGE_STREAM ?? "outbound",
    logLevel: process.env.LOG_LEVEL ?? "info",
  };
}

const config = loadConfig();
export default config;
