export const SLACK_API = "https://slack.com/api";
export const HISTORY_PAGE_SIZE = 200;
