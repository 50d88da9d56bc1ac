const config = {
  port: Number(process.env.PORT ?? 3333),
  host: process.env.HOST ?? "127.0.0.1",
  pageId: process.env.STATUSPAGE_PAGE_ID ?? "",
  // ruleid: hardcoded-secret
  statuspageKey: process.env.STATUSPAGE_API_KEY ?? "f02b90f34f7e991e34c3a9310341a9ca",
  logLevel: process.env.LOG_LEVEL ?? "info",
  allowedOrigins: (process.env.ALLOWED_ORIGINS ?? "").split(",").filter(Boolean),
};

export default config;
