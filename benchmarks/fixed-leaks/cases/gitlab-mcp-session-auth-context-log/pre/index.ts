#!/usr/bin/env node

import {
  getConfig,
  ENABLE_DYNAMIC_API_URL,
  GITLAB_AUTH_COOKIE_PATH,
  GITLAB_ALLOW_UNAUTHENTICATED_TOOL_DISCOVERY,
  GITLAB_CA_CERT_PATH,
  GITLAB_JOB_TOKEN,
  GITLAB_MCP_OAUTH,
  GITLAB_OAUTH_APP_ID,
  GITLAB_OAUTH_SCOPES,
  GITLAB_OAUTH_CALLBACK_PROXY,
  GITLAB_PERSONAL_ACCESS_TOKEN,
  GITLAB_POOL_MAX_SIZE,
  GITLAB_DISABLE_VERSION_CHECK,
  GITLAB_READ_ONLY_MODE,
  GITLAB_PERMISSION_MODE,
  GITLAB_TOOLSETS_RAW,
  GITLAB_TOOLS_RAW,
  HOST,
  HTTP_PROXY,
  HTTPS_PROXY,
  IS_OLD,
  MCP_SERVER_URL,
  NODE_TLS_REJECT_UNAUTHORIZED,
  NO_PROXY,
  OAUTH_STATELESS_CLIENT_TTL_SECONDS,
  OAUTH_STATELESS_MODE,
  OAUTH_STATELESS_PENDING_TTL_SECONDS,
  OAUTH_STATELESS_SESSION_TTL_SECONDS,
  OAUTH_STATELESS_STORED_TTL_SECONDS,
  PORT,
  REMOTE_AUTHORIZATION,
  SESSION_TIMEOUT_SECONDS,
  SSE,
  STREAMABLE_HTTP,
  MCP_TRUST_PROXY,
  USE_GITLAB_WIKI,
  USE_MILESTONE,
  USE_OAUTH,
  USE_PIPELINE,
  GITLAB_TOOL_POLICY_APPROVE_RAW,
  GITLAB_TOOL_POLICY_HIDDEN_RAW,
  GITLAB_OAUTH_ALLOWED_GROUPS_RAW,
  GITLAB_ALLOWED_GROUPS_RAW,
  GITLAB_OAUTH_ALLOWED_GROUPS,
} from "./config.js";

/** True when the server is running in remote/network mode (SSE or StreamableHTTP transport). */
const IS_REMOTE = SSE || STREAMABLE_HTTP;
const STREAMABLE_HTTP_AUTH_TOKEN = getConfig(
  "streamable-http-auth-token",
  "STREAMABLE_HTTP_AUTH_TOKEN"
);

/**
 * Build a URL pointing to the download proxy endpoint.
 * Embeds an encrypted auth token (and API URL for dynamic routing)
 * from the current session so the URL works standalone.
 */
function buildDownloadUrl(type: string, params: Record<string, string>): string {
  const base =
    MCP_SERVER_URL || sessionAuthStore.getStore()?.publicBaseUrl || `http://${HOST}:${PORT}`;
  const baseUrl = new URL(base);
  // Preserve any path prefix (e.g. /gitlab-mcp) from the base URL
  const basePath = baseUrl.pathname.replace(/\/+$/, "");
  const safeBasePath = basePath ? `/${basePath.replace(/^\/+/, "")}` : "";
  const url = new URL(`${safeBasePath}/downloads/${type}`, baseUrl.origin);
  for (const [key, value] of Object.entries(params)) {
    url.searchParams.set(key, value);
  }
  // Embed auth (and apiUrl when dynamic routing is active) from current session or static config
  // Token is bound to the specific resource (type + params) to prevent URL tampering
  const resource = { type, params };
  const ctx = sessionAuthStore.getStore();
  if (ctx?.token) {
    const headerValue = ctx.header === "Authorization" ? `Bearer ${ctx.token}` : ctx.token;
    const apiUrl = ENABLE_DYNAMIC_API_URL && ctx.apiUrl !== GITLAB_API_URL ? ctx.apiUrl : undefined;
    url.searchParams.set("_token", createDownloadToken(ctx.header, headerValue, apiUrl, resource));
  } else {
    // Fallback for SSE/static-token mode (no session auth context)
    // Priority matches buildAuthHeaders: OAuth > PAT > JOB token
    const staticToken = OAUTH_ACCESS_TOKEN || GITLAB_PERSONAL_ACCESS_TOKEN || GITLAB_JOB_TOKEN;
    if (staticToken) {
      let header: string;
      let headerValue: string;
      if (GITLAB_JOB_TOKEN && !GITLAB_PERSONAL_ACCESS_TOKEN && !OAUTH_ACCESS_TOKEN) {
        header = "JOB-TOKEN";
        headerValue = String(staticToken);
      } else if (IS_OLD) {
        header = "Private-Token";
        headerValue = String(staticToken);
      } else {
        header = "Authorization";
        headerValue = `Bearer ${staticToken}`;
      }
      url.searchParams.set("_token", createDownloadToken(header, headerValue, undefined, resource));
    }
  }
  return url.toString();
}

function isConstantTimeSecretMatch(
  provided: string | undefined,
  expected: string | undefined
): boolean {
  if (!provided || !expected || provided.length !== expected.length) {
    return false;
  }

  return timingSafeEqual(Buffer.from(provided), Buffer.from(expected));
}

import {
  loadKeyMaterialFromEnv,
  looksLikeStatelessSessionId,
  mintSessionId,
  openSessionId,
} from "./stateless/index.js";
import type { SessionAuthHeader, StatelessKeyMaterial } from "./stateless/index.js";

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SSEServerTransport } from "@modelcontextprotocol/sdk/server/sse.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { AsyncLocalStorage } from "node:async_hooks";
import express, { NextFunction, Request, Response } from "express";
import fetchCookie from "fetch-cookie";
import fs from "node:fs";
import { pipeline as streamPipeline } from "node:stream/promises";
import os from "node:os";
import nodeFetch from "node-fetch";
import path from "node:path";
import { CookieJar, parse as parseCookie } from "tough-cookie";
import { URL } from "node:url";
import { z } from "zod";

import { initializeOAuthClient, GitLabOAuth } from "./oauth.js";
import { createGitLabOAuthProvider } from "./oauth-proxy.js";
import { mcpAuthRouter } from "@modelcontextprotocol/sdk/server/auth/router.js";
import rateLimit, { ipKeyGenerator } from "express-rate-limit";
import { normalizeProxyClientIpForRateLimit } from "./utils/proxy-client-ip.js";
import {
  getForwardedPublicBaseUrl,
  getForwardedRequestHost,
} from "./utils/forwarded-public-base-url.js";
import { registerDownloadProxy } from "./downloads/proxy.js";
import type { DownloadProxyDependencies } from "./downloads/proxy.js";
import { createDownloadToken } from "./utils/download-token.js";
import { determineTransportMode, TransportMode } from "./server/transport-mode.js";
import { formatPrometheusMetrics } from "./server/metrics.js";
import { SERVER_VERSION } from "./server/version.js";
import {
  isInitializationRequestBody,
  isUnauthenticatedDiscoveryRequestBody,
  readMcpSessionIdHeader,
  redactSessionIdForLog,
} from "./server/request-helpers.js";
export { readMcpSessionIdHeader } from "./server/request-helpers.js";
import { normalizeGitLabApiUrl } from "./utils/url.js";
import {
  estimateMergeCommitCount,
  filterDiffsByPatterns,
  openSafeOutputWriteStream,
  readSafeExistingFile,
  summarizeWebhookEvents,
} from "./utils/helpers.js";
import {
  graphqlQueryContainsWriteOperation,
  graphqlQueryContainsDeleteOperation,
} from "./utils/graphql-query.js";
import { resolveNestedWikiUpdateTitle } from "./utils/wiki-title.js";
import { redactSensitiveGitLabFields } from "./utils/redact-sensitive.js";
import { checkForNewVersion } from "./utils/version-check.js";
import { assertGitLabVersionAtLeast } from "./utils/gitlab-version-gate.js";
import {
  parseGitLabVersionApiResponse,
  type GitLabInstanceVersionMetadata,
} from "./utils/gitlab-instance-version.js";
import {
  buildBulkPublishDraftNotesBody,
  needsGitLab19_2BulkPublish,
  type BulkPublishDraftNotesBody,
} from "./utils/bulk-publish-options.js";
import {
  cleanMutuallyExclusiveIdUsernameOptions,
  LIST_MERGE_REQUESTS_ID_USERNAME_PAIRS,
  sanitizeToolArguments,
} from "./utils/tool-args.js";
import {
  parseSearchReplaceBlocks,
  applySearchReplace,
  applyUnifiedDiff,
} from "./utils/patch-helper.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import { GitLabClientPool } from "./gitlab-client-pool.js";
import {
  allTools,
  readOnlyTools,
  destructiveTools,
  deleteTools,
  parseEnabledToolsets,
  parseIndividualTools,
  buildFeatureFlagOverrides,
  isToolInEnabledToolset,
  TOOLSET_DEFINITIONS,
  ALL_TOOLSET_IDS,
  type ToolsetId,
} from "./tools/registry.js";
import {
  BulkPublishDraftNotesSchema,
  CancelPipelineJobSchema,
  CancelPipelineSchema,
  CreateBranchOptionsSchema,
  CreateBranchSchema,
  CreateDraftNoteSchema,
  CreateIssueLinkSchema,
  CreateIssueNoteSchema,
  CreateIssueOptionsSchema,
  CreateIssueSchema,
  CreateIssueEmojiReactionSchema,
  CreateIssueNoteEmojiReactionSchema,
  ListIssueEmojiReactionsSchema,
  ListIssueNoteEmojiReactionsSchema,
  CreateLabelSchema, // Added
  CreateMergeRequestNoteSchema,
  CreateMergeRequestDiscussionNoteSchema,
  CreateMergeRequestEmojiReactionSchema,
  CreateMergeRequestNoteEmojiReactionSchema,
  ListMergeRequestEmojiReactionsSchema,
  ListMergeRequestNoteEmojiReactionsSchema,
  CreateMergeRequestOptionsSchema,
  CreateMergeRequestSchema,
  CreateMergeRequestThreadSchema,
  CreateNoteSchema,
  CreateCommitStatusSchema,
  type CreateCommitStatusOptions,
  CreateOrUpdateFileSchema,
  CreatePipelineSchema,
  CreateProjectMilestoneSchema,
  CreateGroupMilestoneSchema,
  CreateRepositoryOptionsSchema,
  CreateRepositorySchema,
  CreateGroupSchema,
  CreateWikiPageSchema,
  CreateGroupWikiPageSchema,
  DeleteBranchSchema,
  GetProtectedBranchSchema,
  ListProtectedBranchesSchema,
  ProtectBranchSchema,
  UnprotectBranchSchema,
  UpdateDefaultBranchSchema,
  DeleteDraftNoteSchema,
  DeleteGroupMilestoneSchema,
  DeleteGroupWikiPageSchema,
  DeleteIssueLinkSchema,
  DeleteIssueSchema,
  DeleteIssueEmojiReactionSchema,
  DeleteIssueNoteEmojiReactionSchema,
  DeleteLabelSchema,
  DeleteProjectMilestoneSchema,
  DeleteWikiPageSchema,
  DeleteMergeRequestNoteSchema,
  DeleteMergeRequestEmojiReactionSchema,
  DeleteMergeRequestNoteEmojiReactionSchema,
  EditProjectMilestoneSchema,
  EditGroupMilestoneSchema,
  type FileOperation,
  ForkRepositorySchema,
  GetBranchDiffsSchema,
  GetBranchSchema,
  GetCommitDiffSchema,
  GetCommitSchema,
  GetFileBlameSchema,
  type GetFileBlameOptions,
  GitLabBlameEntrySchema,
  type GitLabBlameEntry,
  GetDraftNoteSchema,
  GetFileContentsSchema,
  GetIssueLinkSchema,
  GetIssueSchema,
  GetLabelSchema,
  GetMergeRequestDiffsSchema,
  GetMergeRequestSchema,
  GetMilestoneBurndownEventsSchema,
  GetMilestoneIssuesSchema,
  GetMilestoneMergeRequestsSchema,
  GetGroupMilestoneSchema,
  GetGroupMilestoneIssuesSchema,
  GetGroupMilestoneMergeRequestsSchema,
  GetGroupMilestoneBurndownEventsSchema,
  GetDeploymentSchema,
  GetEnvironmentSchema,
  GetNamespaceSchema,
  // pipeline job schemas
  type GitLabCiLintResult,
  GitLabCiLintResultSchema,
  GetPipelineJobOutputSchema,
  PipelineJobControlSchema,
  GetPipelineSchema,
  GetProjectMilestoneSchema,
  GetProjectSchema,
  type GetRepositoryTreeOptions,
  GetRepositoryTreeSchema,
  GetUsersSchema,
  GetUserSchema,
  GitLabUserFullSchema,
  WhoAmISchema,
  GitLabCurrentUserSchema,
  GetWikiPageSchema,
  type GitLabCommit,
  GitLabCommitSchema,
  type GitLabCommitStatus,
  GitLabCommitStatusSchema,
  GitLabCompareResult,
  GitLabCompareResultSchema,
  type GitLabContent,
  GitLabContentSchema,
  type GitLabCreateUpdateFileResponse,
  GitLabCreateUpdateFileResponseSchema,
  GitLabDiffSchema,
  type GitLabDiscussion,
  // Discussion Types
  type GitLabDiscussionNote,
  // Discussion Schemas
  GitLabDiscussionNoteSchema, // Added
  GitLabDiscussionSchema,
  // Draft Notes Types
  type GitLabDraftNote,
  // Draft Notes Schemas
  GitLabDraftNoteSchema,
  type GitLabFork,
  GitLabForkSchema,
  GitLabBranchSchema,
  GitLabProtectedBranchSchema,
  GitLabGroupSchema,
  type GitLabIssue,
  type GitLabIssueLink,
  GitLabIssueLinkSchema,
  GitLabIssueSchema,
  type GitLabIssueWithLinkDetails,
  GitLabIssueWithLinkDetailsSchema,
  type GitLabLabel,
  GitLabMarkdownUpload,
  GitLabMarkdownUploadSchema,
  type GitLabMergeRequest,
  type GitLabMergeRequestDiff,
  type GitLabMergeRequestPipeline,
  GitLabMergeRequestPipelineSchema,
  GitLabMergeRequestSchema,
  type GitLabMilestones,
  type GitLabGroupMilestones,
  GitLabMilestonesSchema,
  GitLabGroupMilestonesSchema,
  GitLabNamespaceExistsResponseSchema,
  GitLabNamespaceSchema,
  type GitLabPipeline,
  type GitLabPipelineJob,
  type GitLabDeployment,
  type GitLabEnvironment,
  GitLabPipelineJobSchema,
  GitLabDeploymentSchema,
  GitLabEnvironmentSchema,
  GitLabPipelineSchema,
  type GitLabPipelineTriggerJob,
  GitLabPipelineTriggerJobSchema,
  type GitLabProject,
  type GitLabProjectMember,
  GitLabProjectMemberSchema,
  GitLabProjectSchema,
  type GitLabTodo,
  GitLabTodoSchema,
  type GitLabReference,
  GitLabReferenceSchema,
  type GitLabRepository,
  GitLabRepositorySchema,
  GitLabSearchBlobResultSchema,
  type GitLabSearchBlobResult,
  type GitLabSearchResponse,
  GitLabSearchResponseSchema,
  type GitLabTreeItem,
  GitLabTreeItemSchema,
  type GitLabUser,
  GitLabUserSchema,
  type GitLabUsersResponse,
  GitLabUsersResponseSchema,
  type GitLabWikiPage,
  GitLabWikiPageSchema,
  GroupIteration,
  type ListCommitsOptions,
  type ListCommitStatusesOptions,
  ListCommitStatusesSchema,
  ListBranchesSchema,
  ListCommitsSchema,
  ListDraftNotesSchema,
  ListGroupIterationsSchema,
  ListGroupProjectsSchema,
  type GitLabCiVariable,
  GitLabCiVariableSchema,
  ListProjectVariablesSchema,
  GetProjectVariableSchema,
  CreateProjectVariableSchema,
  UpdateProjectVariableSchema,
  DeleteProjectVariableSchema,
  ListGroupVariablesSchema,
  GetGroupVariableSchema,
  CreateGroupVariableSchema,
  UpdateGroupVariableSchema,
  DeleteGroupVariableSchema,
  GitLabDependencyProxySchema,
  type GitLabDependencyProxy,
  GitLabDependencyProxyBlobSchema,
  type GitLabDependencyProxyBlob,
  GetDependencyProxySettingsSchema,
  UpdateDependencyProxySettingsSchema,
  ListDependencyProxyBlobsSchema,
  PurgeDependencyProxyCacheSchema,
  ListProjectVulnerabilitiesSchema,
  GetVulnerabilitySchema,
  DismissVulnerabilitySchema,
  ConfirmVulnerabilitySchema,
  ListIssueDiscussionsSchema,
  ListIssueLinksSchema,
  ListIssuesSchema,
  type ListTodosOptions,
  ListTodosSchema,
  ListLabelsSchema,
  ListMergeRequestDiffsSchema, // Added
  GetMergeRequestFileDiffSchema,
  ListMergeRequestChangedFilesSchema,
  ListMergeRequestDiscussionsSchema,
  type ListMergeRequestPipelinesOptions,
  ListMergeRequestPipelinesSchema,
  ListMergeRequestsSchema,
  ListMergeRequestVersionsSchema,
  GetMergeRequestVersionSchema,
  GitLabMergeRequestVersionSchema,
  GitLabMergeRequestVersionDetailSchema,
  type GitLabMergeRequestVersion,
  type GitLabMergeRequestVersionDetail,
  ListNamespacesSchema,
  type ListPipelineJobsOptions,
  ListPipelineJobsSchema,
  type ListPipelinesOptions,
  ListPipelinesSchema,
  type ListDeploymentsOptions,
  ListDeploymentsSchema,
  type ListEnvironmentsOptions,
  ListEnvironmentsSchema,
  type ListPipelineTriggerJobsOptions,
  ListPipelineTriggerJobsSchema,
  type ValidateCiLintOptions,
  ValidateCiLintSchema,
  type ValidateProjectCiLintOptions,
  ValidateProjectCiLintSchema,
  ListCiCatalogResourcesSchema,
  GetCiCatalogResourceSchema,
  type ListProjectMembersOptions,
  ListProjectMembersSchema,
  type ListGroupMembersOptions,
  ListGroupMembersSchema,
  ListProjectMilestonesSchema,
  ListGroupMilestonesSchema,
  ListProjectsSchema,
  ListWikiPagesOptions,
  ListWikiPagesSchema,
  GetGroupWikiPageSchema,
  ListGroupWikiPagesSchema,
  UpdateGroupWikiPageSchema,
  type ListGroupWikiPagesOptions,
  MarkdownUploadSchema,
  MarkdownUploadRemoteSchema,
  DownloadAttachmentSchema,
  DownloadJobArtifactsSchema,
  GetJobArtifactFileSchema,
  type GitLabArtifactEntry,
  GitLabArtifactEntrySchema,
  ListJobArtifactsSchema,
  MergeMergeRequestSchema,
  ApproveMergeRequestSchema,
  UnapproveMergeRequestSchema,
  GetMergeRequestApprovalStateSchema,
  GetMergeRequestConflictsSchema,
  GitLabMergeRequestApprovalsResponseSchema,
  GitLabMergeRequestApprovalStateSchema,
  type GitLabApprovalUser,
  type GitLabMergeRequestApprovalState,
  type MergeRequestThreadPosition,
  type MyIssuesOptions,
  MyIssuesSchema,
  MarkAllTodosDoneSchema,
  MarkTodoDoneSchema,
  type PaginatedDiscussionsResponse,
  PaginatedDiscussionsResponseSchema,
  type PaginationOptions,
  PromoteProjectMilestoneSchema,
  PublishDraftNoteSchema,
  PlayPipelineJobSchema,
  PushFilesSchema,
  RetryPipelineJobSchema,
  RetryPipelineSchema,
  SearchCodeSchema,
  SearchGroupCodeSchema,
  SearchProjectCodeSchema,
  SearchRepositoriesSchema,
  UpdateDraftNoteSchema,
  UpdateIssueNoteSchema,
  UpdateIssueSchema,
  UpdateIssueDescriptionPatchSchema,
  type UpdateIssueDescriptionPatchOptions,
  UpdateLabelSchema,
  UpdateProjectSchema,
  UpdateMergeRequestNoteSchema,
  UpdateMergeRequestDiscussionNoteSchema,
  UpdateMergeRequestSchema,
  UpdateWikiPageSchema,
  VerifyNamespaceSchema,
  GitLabEventSchema,
  ListEventsSchema,
  GetProjectEventsSchema,
  GitLabEvent,
  ExecuteGraphQLSchema,
  type GitLabRelease,
  GitLabReleaseSchema,
  ListReleasesSchema,
  GetReleaseSchema,
  CreateReleaseSchema,
  UpdateReleaseSchema,
  DeleteReleaseSchema,
  CreateReleaseEvidenceSchema,
  DownloadReleaseAssetSchema,
  ListTagsSchema,
  GetTagSchema,
  CreateTagSchema,
  DeleteTagSchema,
  GetTagSignatureSchema,
  GitLabTagSchema,
  GitLabTagSignatureSchema,
  type GitLabTag,
  type GitLabTagSignature,
  GetMergeRequestNotesSchema,
  GetMergeRequestNoteSchema,
  DeleteMergeRequestDiscussionNoteSchema,
  ResolveMergeRequestThreadSchema,
  GetWorkItemSchema,
  ListWorkItemsSchema,
  CreateWorkItemSchema,
  UpdateWorkItemSchema,
  ConvertWorkItemTypeSchema,
  ListWorkItemStatusesSchema,
  ListWorkItemNotesSchema,
  CreateWorkItemNoteSchema,
  CreateWorkItemEmojiReactionSchema,
  CreateWorkItemNoteEmojiReactionSchema,
  ListWorkItemEmojiReactionsSchema,
  ListWorkItemNoteEmojiReactionsSchema,
  DeleteWorkItemEmojiReactionSchema,
  DeleteWorkItemNoteEmojiReactionSchema,
  MoveWorkItemSchema,
  ListCustomFieldDefinitionsSchema,
  GetTimelineEventsSchema,
  CreateTimelineEventSchema,
  ListWebhooksSchema,
  ListWebhookEventsSchema,
  GetWebhookEventSchema,
  HealthCheckSchema,
} from "./schemas.js";

import {
  randomUUID,
  createCipheriv,
  createDecipheriv,
  randomBytes,
  createHash,
  timingSafeEqual,
} from "node:crypto";
import { createLogger } from "./utils/logger.js";

const logger = createLogger();

const SERVER_NAME = process.env.MCP_SERVER_NAME?.trim() || "zereight-gitlab-mcp-server";

/**
 * Create a new MCP Server instance with request handlers registered.
 * Each transport connection gets its own Server instance to prevent
 * cross-client data leakage (GHSA-345p-7cg4-v4c7).
 */
function createServer(): McpServer {
  // Precompute filtered tool list once at server creation (Steps 1–5 are static)
  // Step 1: Toolset filter — keep tools in enabled toolsets
  const toolsAfterToolsets = allTools.filter(tool =>
    isToolInEnabledToolset(tool.name, enabledToolsets)
  );

  // Step 2: Add GITLAB_TOOLS (individual tools bypass toolset filter)
  const toolsetToolNames = new Set(toolsAfterToolsets.map(t => t.name));
  const toolsAfterIndividual = [
    ...toolsAfterToolsets,
    ...allTools.filter(
      tool => individuallyEnabledTools.has(tool.name) && !toolsetToolNames.has(tool.name)
    ),
  ];

  // Step 3: Add legacy flag overrides (USE_PIPELINE, USE_MILESTONE, USE_GITLAB_WIKI)
  const afterIndividualNames = new Set(toolsAfterIndividual.map(t => t.name));
  const toolsAfterLegacy = [
    ...toolsAfterIndividual,
    ...allTools.filter(
      tool => featureFlagOverrides.has(tool.name) && !afterIndividualNames.has(tool.name)
    ),
  ];

  // Step 4: Permission mode filter (readonly / modify / full)
  const toolsAfterReadOnly =
    GITLAB_PERMISSION_MODE === "full"
      ? toolsAfterLegacy
      : toolsAfterLegacy.filter(tool => isToolAllowedByPermissionMode(tool.name));

  // Step 5: Regex denial filter
  let filteredTools = GITLAB_DENIED_TOOLS_REGEX
    ? toolsAfterReadOnly.filter(tool => !GITLAB_DENIED_TOOLS_REGEX!.test(tool.name))
    : [...toolsAfterReadOnly];

  // Step 5.5: Always include discover_tools meta-tool (bypasses toolset filter)
  const discoverTool = allTools.find(t => t.name === "discover_tools");
  const filteredToolNames = new Set(filteredTools.map(t => t.name));
  if (discoverTool && !filteredToolNames.has("discover_tools")) {
    // Respect permission mode and regex denial filters
    const passesPermissionMode = isToolAllowedByPermissionMode("discover_tools");
    const passesRegex = !GITLAB_DENIED_TOOLS_REGEX?.test("discover_tools");
    if (passesPermissionMode && passesRegex) {
      filteredTools.push(discoverTool);
    }
  }

  // Step 5.7: Remove hidden policy tools
  if (hiddenToolSet.size > 0) {
    filteredTools = filteredTools.filter(tool => !hiddenToolSet.has(tool.name));
  }

  const mcpServer = new McpServer(
    {
      name: SERVER_NAME,
      version: SERVER_VERSION,
    },
    {
      capabilities: {
        tools: {},
      },
    }
  );

  mcpServer.server.setRequestHandler(ListToolsRequestSchema, async () => {
    // Step 6: Gemini $schema cleanup + annotations (only dynamic step per request)
    // <<< START: Remove $schema for Gemini compatibility >>>
    const tools = filteredTools.map(tool => {
      const modified: any = { ...tool };

      // Safety net: remove $schema if present (toJSONSchema strips it for zod schemas,
      // but manually-defined schemas like discover_tools may still have it)
      if (
        modified.inputSchema &&
        typeof modified.inputSchema === "object" &&
        modified.inputSchema !== null
      ) {
        if ("$schema" in modified.inputSchema) {
          modified.inputSchema = { ...modified.inputSchema };
          delete modified.inputSchema.$schema;
        }
      }

      // Add MCP tool annotations
      modified.annotations = {
        ...(readOnlyTools.has(tool.name) ? { readOnlyHint: true } : {}),
        ...(destructiveTools.has(tool.name) ? { destructiveHint: true } : {}),
        ...(approveToolSet.has(tool.name) ? { confirmationHint: true } : {}),
        openWorldHint: true,
      };

      // Inject _confirmed optional parameter for approve-policy tools
      if (approveToolSet.has(tool.name) && modified.inputSchema?.properties) {
        modified.inputSchema = {
          ...modified.inputSchema,
          properties: {
            ...modified.inputSchema.properties,
            _confirmed: {
              type: "boolean",
              description: "Set to true to confirm execution of this approval-required tool.",
            },
          },
        };
      }

      return modified;
    });
    // <<< END: Remove $schema for Gemini compatibility >>>

    return {
      tools, // return tool list with $schema removed
    };
  });

  mcpServer.server.setRequestHandler(CallToolRequestSchema, async (request: any) => {
    // Manually retrieve the session context using the session ID passed in the request.
    // This is a robust workaround for AsyncLocalStorage context loss.
    const sessionId = request.params.sessionId;
    const toolName = request.params.name;
    const start = Date.now();

    const logCompletion = (result: any) => {
      const durationMs = Date.now() - start;
      logger.info(
        { tool: toolName, event: "tool_call_done", durationMs },
        `tool_call_done: ${toolName} (${durationMs}ms)`
      );
      return result;
    };

    const logError = (error: unknown) => {
      const durationMs = Date.now() - start;
      logger.error(
        {
          tool: toolName,
          event: "tool_call_error",
          durationMs,
          error: error instanceof Error ? error.message : String(error),
        },
        `tool_call_error: ${toolName} (${durationMs}ms)`
      );
      throw error;
    };

    try {
      // Handle discover_tools meta-tool directly (needs access to mcpServer and filteredTools)
      if (toolName === "discover_tools") {
        const category = request.params.arguments?.category?.trim()?.toLowerCase();
        const currentToolNames = new Set(filteredTools.map(t => t.name));

        if (!category) {
          // List available categories with activation status
          const categories = TOOLSET_DEFINITIONS.map(def => ({
            id: def.id,
            toolCount: def.tools.size,
            active: [...def.tools].some(t => currentToolNames.has(t)),
            isDefault: def.isDefault,
          }));
          return logCompletion({
            content: [{
              type: "text",
              text: JSON.stringify({ categories, hint: "Call discover_tools with a category name to activate it" }),
            }],
          });
        }

        if (!ALL_TOOLSET_IDS.has(category as ToolsetId)) {
          return logCompletion({
            content: [
              {
                type: "text",
                text: `Unknown category "${category}". Available: ${[...ALL_TOOLSET_IDS].join(", ")}`,
              },
            ],
            isError: true,
          });
        }

        const toolsetDef = TOOLSET_DEFINITIONS.find(d => d.id === category);
        if (!toolsetDef) {
          return logCompletion({
            content: [{ type: "text", text: `Category "${category}" not found.` }],
            isError: true,
          });
        }

        // Check if already fully active
        const alreadyActive = [...toolsetDef.tools].every(t => currentToolNames.has(t));
        if (alreadyActive) {
          return logCompletion({
            content: [
              {
                type: "text",
                text: `Category "${category}" is already active (${toolsetDef.tools.size} tools).`,
              },
            ],
          });
        }

        // Add tools from this toolset, respecting all filtering policies
        const newTools: typeof allTools = [];
        for (const tool of allTools) {
          if (!toolsetDef.tools.has(tool.name)) continue;
          if (currentToolNames.has(tool.name)) continue;
          if (!isToolAllowedByPermissionMode(tool.name)) continue;
          if (GITLAB_DENIED_TOOLS_REGEX?.test(tool.name)) continue;
          if (hiddenToolSet.has(tool.name)) continue;
          newTools.push(tool);
        }

        if (newTools.length === 0) {
          return logCompletion({
            content: [
              {
                type: "text",
                text: `Category "${category}" has no additional tools to activate (all already active or filtered).`,
              },
            ],
          });
        }

        filteredTools.push(...newTools);

        // Notify client that tool list has changed
        try {
          await mcpServer.server.sendToolListChanged();
        } catch {
          // Client may not support notifications - safe to ignore
        }

        const addedNames = newTools.map(t => t.name);
        logger.info(
          { event: "toolset_activated", category, toolCount: addedNames.length },
          `Activated toolset: ${category} (+${addedNames.length} tools)`
        );

        return logCompletion({
          content: [{
            type: "text",
            text: JSON.stringify({
              activated: category,
              addedTools: addedNames,
              totalTools: filteredTools.length,
            }),
          }],
        });
      }

      // Check approve policy: tool is exposed but requires explicit confirmation
      if (approveToolSet.has(toolName)) {
        const confirmed = request.params.arguments?._confirmed === true;
        if (!confirmed) {
          logger.info(
            { tool: toolName, event: "tool_call_approval_required" },
            `Approval required: ${toolName}`
          );
          return logCompletion({
            content: [
              {
                type: "text",
                text: `Tool "${toolName}" requires confirmation. This tool is marked as requiring approval before execution. Re-call with _confirmed: true to proceed.`,
              },
            ],
          });
        }
        // Strip _confirmed from args before forwarding to handler
        const { _confirmed, ...cleanArgs } = request.params.arguments || {};
        request.params.arguments = cleanArgs;
      }

      if ((REMOTE_AUTHORIZATION || GITLAB_MCP_OAUTH) && sessionId && authBySession[sessionId]) {
        const authData = authBySession[sessionId];
        const sessionContext: SessionAuth = {
          sessionId,
          header: authData.header,
          token: authData.token,
          lastUsed: authData.lastUsed,
          apiUrl: authData.apiUrl,
          publicBaseUrl: authData.publicBaseUrl,
        };
        // Run the handler within the retrieved context
        const result = await sessionAuthStore.run(sessionContext, () =>
          handleToolCall(request.params)
        );
        return logCompletion(result);
      }
      // Fallback for non-remote-auth mode or if session is not found
      const result = await handleToolCall(request.params);
      return logCompletion(result);
    } catch (error) {
      logError(error);
    }
  });

  return mcpServer;
}

/**
 * Validate configuration at startup
 */
function isLoopbackBindHost(host: string): boolean {
  const normalized = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  const isIpv4Loopback = /^127(?:\.\d{1,3}){3}$/.test(normalized);
  return (
    normalized === "localhost" ||
    isIpv4Loopback ||
    normalized === "::1" ||
    normalized === "0:0:0:0:0:0:0:1"
  );
}

function formatHostWithPort(host: string, port: number): string | null {
  const normalized = host.trim().toLowerCase().replace(/^\[|\]$/g, "");
  if (!normalized || normalized === "0.0.0.0" || normalized === "::") return null;
  if (normalized.includes(":")) return `[${normalized}]:${port}`;
  return `${normalized}:${port}`;
}

function toAllowedMcpHost(value: string): string | null {
  const trimmed = value.trim().toLowerCase();
  if (!trimmed || trimmed.includes(" ")) return null;

  try {
    if (trimmed.includes("://")) return new URL(trimmed).host.toLowerCase();
    if (trimmed.includes("/")) return null;
    return new URL(`http://${trimmed}`).host.toLowerCase();
  } catch {
    try {
      return new URL(`http://[${trimmed}]`).host.toLowerCase();
    } catch {
      return null;
    }
  }
}

function toAllowedMcpOrigin(value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null;

  try {
    const origin = new URL(trimmed).origin;
    return origin === "null" ? null : origin.toLowerCase();
  } catch {
    return null;
  }
}

// Loopback hosts are allowed on any port: DNS rebinding requires the browser
// to send the attacker's hostname, and Docker port mapping (-p 3333:3002)
// makes the external port unknowable to the server.
function isLoopbackMcpHost(host: string): boolean {
  try {
    const hostname = new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, "");
    return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "::1";
  } catch {
    return false;
  }
}

function isLoopbackMcpOrigin(origin: string): boolean {
  try {
    return isLoopbackMcpHost(new URL(origin).host);
  } catch {
    return false;
  }
}

function getMcpDnsRebindingProtection() {
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();
  const addHost = (value: string | null | undefined) => {
    const host = value ? toAllowedMcpHost(value) : null;
    if (host) allowedHosts.add(host);
  };
  const addOrigin = (value: string | null | undefined) => {
    const origin = value ? toAllowedMcpOrigin(value) : null;
    if (origin) allowedOrigins.add(origin);
  };

  const bindHostWithPort = formatHostWithPort(HOST, PORT);
  addHost(bindHostWithPort);
  if (bindHostWithPort) addOrigin(`http://${bindHostWithPort}`);

  if (MCP_SERVER_URL) {
    addHost(MCP_SERVER_URL);
    addOrigin(MCP_SERVER_URL);
  }

  for (const host of (getConfig("mcp-allowed-hosts", "MCP_ALLOWED_HOSTS") || "").split(",")) {
    addHost(host);
  }
  for (const origin of (getConfig("mcp-allowed-origins", "MCP_ALLOWED_ORIGINS") || "").split(",")) {
    addOrigin(origin);
  }

  return {
    allowedHosts: [...allowedHosts],
    allowedOrigins: [...allowedOrigins],
  };
}

const MCP_DNS_REBINDING_PROTECTION = getMcpDnsRebindingProtection();

function requireMcpHostAndOrigin(req: Request, res: Response, next: NextFunction) {
  const host = toAllowedMcpHost(req.headers.host || "");
  if (
    !host ||
    (!isLoopbackMcpHost(host) && !MCP_DNS_REBINDING_PROTECTION.allowedHosts.includes(host))
  ) {
    res.status(403).json({
      error: "Host header is not allowed",
      hint: "Set MCP_SERVER_URL or MCP_ALLOWED_HOSTS for non-loopback /mcp hosts.",
    });
    return;
  }

  const originHeader = req.headers.origin;
  if (originHeader) {
    const origin = toAllowedMcpOrigin(Array.isArray(originHeader) ? originHeader[0] : originHeader);
    if (
      !origin ||
      (!isLoopbackMcpOrigin(origin) &&
        !MCP_DNS_REBINDING_PROTECTION.allowedOrigins.includes(origin))
    ) {
      res.status(403).json({
        error: "Origin header is not allowed",
        hint: "Set MCP_SERVER_URL or MCP_ALLOWED_ORIGINS for non-loopback browser origins.",
      });
      return;
    }
  }

  next();
}

function validateConfiguration(): void {
  const errors: string[] = [];

  // Validate SESSION_TIMEOUT_SECONDS
  const timeoutStr = process.env.SESSION_TIMEOUT_SECONDS;
  if (timeoutStr) {
    const timeout = Number.parseInt(timeoutStr, 10);
    // Allow values >=1 for testing purposes, but recommend 60-86400 for production
    if (Number.isNaN(timeout) || timeout < 1 || timeout > 86400) {
      errors.push(
        `SESSION_TIMEOUT_SECONDS must be between 1 and 86400 seconds, got: ${timeoutStr}`
      );
    }
    if (timeout < 60) {
      logger.warn(
        `SESSION_TIMEOUT_SECONDS=${timeout} is below recommended minimum of 60 seconds. Only use low values for testing.`
      );
    }
  }

  // Validate MAX_SESSIONS
  const maxSessionsStr = process.env.MAX_SESSIONS;
  if (maxSessionsStr) {
    const maxSessions = Number.parseInt(maxSessionsStr, 10);
    if (Number.isNaN(maxSessions) || maxSessions < 1 || maxSessions > 10000) {
      errors.push(`MAX_SESSIONS must be between 1 and 10000, got: ${maxSessionsStr}`);
    }
  }

  // Validate MAX_REQUESTS_PER_MINUTE
  const maxReqStr = process.env.MAX_REQUESTS_PER_MINUTE;
  if (maxReqStr) {
    const maxReq = Number.parseInt(maxReqStr, 10);
    if (Number.isNaN(maxReq) || maxReq < 1 || maxReq > 1000) {
      errors.push(`MAX_REQUESTS_PER_MINUTE must be between 1 and 1000, got: ${maxReqStr}`);
    }
  }

  // Validate OAUTH_REGISTER_RATE_LIMIT_PER_HOUR
  const registerRateLimitStr = process.env.OAUTH_REGISTER_RATE_LIMIT_PER_HOUR;
  if (registerRateLimitStr) {
    const limit = Number(registerRateLimitStr);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      errors.push(`OAUTH_REGISTER_RATE_LIMIT_PER_HOUR must be an integer between 1 and 1000, got: ${registerRateLimitStr}`);
    }
  }

  // Validate PORT
  const portStr = getConfig("port", "PORT");
  if (portStr) {
    const port = Number.parseInt(portStr, 10);
    if (Number.isNaN(port) || port < 1 || port > 65535) {
      errors.push(`PORT must be between 1 and 65535, got: ${portStr}`);
    }
  }

  // Validate GITLAB_API_URL format
  const apiUrls = getConfig("api-url", "GITLAB_API_URL")?.split(",") || [];
  if (apiUrls.length > 0) {
    for (const url of apiUrls) {
      try {
        new URL(url.trim());
      } catch {
        errors.push(`GITLAB_API_URL contains an invalid URL: ${url.trim()}`);
      }
    }
  }

  const allowedHosts = getConfig("allowed-hosts", "GITLAB_ALLOWED_HOSTS")?.split(",") || [];
  for (const host of allowedHosts) {
    if (host.trim() && !toAllowedGitLabApiUrl(host)) {
      errors.push(`GITLAB_ALLOWED_HOSTS contains an invalid host or URL: ${host.trim()}`);
    }
  }

  const mcpAllowedHosts = getConfig("mcp-allowed-hosts", "MCP_ALLOWED_HOSTS")?.split(",") || [];
  for (const host of mcpAllowedHosts) {
    if (host.trim() && !toAllowedMcpHost(host)) {
      errors.push(`MCP_ALLOWED_HOSTS contains an invalid host or URL: ${host.trim()}`);
    }
  }

  const mcpAllowedOrigins = getConfig("mcp-allowed-origins", "MCP_ALLOWED_ORIGINS")?.split(",") || [];
  for (const origin of mcpAllowedOrigins) {
    if (origin.trim() && !toAllowedMcpOrigin(origin)) {
      errors.push(`MCP_ALLOWED_ORIGINS contains an invalid origin URL: ${origin.trim()}`);
    }
  }

  // Validate auth configuration
  const remoteAuth = getConfig("remote-auth", "REMOTE_AUTHORIZATION") === "true";
  const useOAuth = getConfig("use-oauth", "GITLAB_USE_OAUTH") === "true";
  const hasToken = !!getConfig("token", "GITLAB_PERSONAL_ACCESS_TOKEN");
  const hasJobToken = !!getConfig("job-token", "GITLAB_JOB_TOKEN");
  const hasCookie = !!getConfig("cookie-path", "GITLAB_AUTH_COOKIE_PATH");
  const mcpOAuth = getConfig("mcp-oauth", "GITLAB_MCP_OAUTH") === "true";
  const mcpServerUrl = getConfig("mcp-server-url", "MCP_SERVER_URL");
  const streamableHttp = getConfig("streamable-http", "STREAMABLE_HTTP") === "true";
  const sse = getConfig("sse", "SSE") === "true";
  const sseAuthToken = getConfig("sse-auth-token", "SSE_AUTH_TOKEN");
  const allowUnauthenticatedRemoteSse =
    getConfig(
      "sse-dangerously-allow-unauthenticated-remote",
      "SSE_DANGEROUSLY_ALLOW_UNAUTHENTICATED_REMOTE"
    ) === "true";

  if (!remoteAuth && !useOAuth && !hasToken && !hasJobToken && !hasCookie && !mcpOAuth) {
    errors.push(
      "Either --token, --job-token, --cookie-path, --use-oauth=true, --remote-auth=true, or --mcp-oauth=true must be set (or use environment variables)"
    );
  }

  const streamableHttpAuthToken = getConfig(
    "streamable-http-auth-token",
    "STREAMABLE_HTTP_AUTH_TOKEN"
  );
  if (
    streamableHttp &&
    (hasToken || hasJobToken || hasCookie || useOAuth) &&
    !remoteAuth &&
    !mcpOAuth &&
    !streamableHttpAuthToken
  ) {
    errors.push(
      "STREAMABLE_HTTP=true/--streamable-http with server-side GitLab credentials requires REMOTE_AUTHORIZATION=true/--remote-auth=true, GITLAB_MCP_OAUTH=true/--mcp-oauth=true, or STREAMABLE_HTTP_AUTH_TOKEN/--streamable-http-auth-token"
    );
  }

  if (sse && !sseAuthToken && !allowUnauthenticatedRemoteSse) {
    errors.push(
      "SSE=true requires SSE_AUTH_TOKEN (or explicitly set SSE_DANGEROUSLY_ALLOW_UNAUTHENTICATED_REMOTE=true)"
    );
  }

  if (mcpOAuth) {
    if (!mcpServerUrl) {
      errors.push(
        "MCP_SERVER_URL is required when GITLAB_MCP_OAUTH=true (e.g. https://mcp.example.com)"
      );
    } else {
      try {
        const u = new URL(mcpServerUrl);
        const isInsecure = u.protocol !== "https:";
        const isLocalhost = u.hostname === "localhost" || u.hostname === "127.0.0.1";
        const allowInsecure = process.env.MCP_DANGEROUSLY_ALLOW_INSECURE_ISSUER_URL === "true";
        if (isInsecure && !isLocalhost && !allowInsecure) {
          errors.push(
            "MCP_SERVER_URL must use HTTPS in production " +
              "(set MCP_DANGEROUSLY_ALLOW_INSECURE_ISSUER_URL=true for local dev)"
          );
        }
      } catch {
        errors.push(`MCP_SERVER_URL is not a valid URL: ${mcpServerUrl}`);
      }
    }

    if (!getConfig("api-url", "GITLAB_API_URL")) {
      errors.push("GITLAB_API_URL is required when GITLAB_MCP_OAUTH=true");
    }

    if (!getConfig("oauth-app-id", "GITLAB_OAUTH_APP_ID")) {
      errors.push(
        "GITLAB_OAUTH_APP_ID is required when GITLAB_MCP_OAUTH=true " +
          "(create an OAuth application in GitLab Admin with the required scopes)"
      );
    }
  }

  const enableDynamicApiUrl =
    getConfig("enable-dynamic-api-url", "ENABLE_DYNAMIC_API_URL") === "true";
  if (enableDynamicApiUrl && !remoteAuth) {
    errors.push("ENABLE_DYNAMIC_API_URL=true requires REMOTE_AUTHORIZATION=true");
  }

  if (errors.length > 0) {
    logger.error("Configuration validation failed:");
    errors.forEach(err => logger.error(`  - ${err}`));
    process.exit(1);
  }

  logger.info("Configuration validation passed");
}

let OAUTH_ACCESS_TOKEN: string | null = null;
let oauthClient: GitLabOAuth | null = null;

/**
 * Loaded once at startup. Null when OAUTH_STATELESS_MODE is disabled.
 * When set, the OAuth provider and (later phases) the Mcp-Session-Id path
 * switch to signed/sealed opaque values instead of per-pod in-memory caches.
 */
let STATELESS_MATERIAL: StatelessKeyMaterial | null = null;
try {
  // Drive enablement from the already-resolved config flag so the CLI flag
  // (--oauth-stateless-mode) is honored. Re-reading env.OAUTH_STATELESS_MODE
  // inside the loader would silently ignore the CLI flag and leave
  // STATELESS_MATERIAL null, falling back to per-pod state.
  STATELESS_MATERIAL = loadKeyMaterialFromEnv(OAUTH_STATELESS_MODE);
  if (OAUTH_STATELESS_MODE && STATELESS_MATERIAL) {
    // Avoid logging anything that could leak key length / entropy details.
    // Keep the message aligned with similar startup banners.
    // eslint-disable-next-line no-console -- startup banner parity
    console.error("[gitlab-mcp] stateless OAuth mode enabled");
  }
} catch (err) {
  // eslint-disable-next-line no-console -- startup failure must be visible
  console.error(`[gitlab-mcp] failed to load stateless secret: ${(err as Error).message}`);
  process.exit(1);
}

/**
 * True when this request is a candidate for the stateless sid-auth path:
 * stateless mode is enabled, key material loaded, and the client sent an
 * Mcp-Session-Id header. We deliberately key off *presence* (not validity)
 * so malformed / expired / legacy sids still reach handleStatelessMcpRequest
 * and get the intended 404 Session not found — rather than being masked by
 * a 401 from the OAuth bearer middleware.
 */
export function hasStatelessSessionId(req: {
  headers: Record<string, string | string[] | undefined>;
}): boolean {
  return Boolean(OAUTH_STATELESS_MODE && STATELESS_MATERIAL && readMcpSessionIdHeader(req));
}

/**
 * Ensure the OAuth token is valid before making an API call.
 * Refreshes the token lazily (only when a tool is actually called).
 * This avoids background timers that cause issues with multiple instances.
 */
async function ensureValidOAuthToken(): Promise<void> {
  if (!oauthClient) return;

  if (oauthClient.hasValidToken()) return;

  try {
    logger.info("OAuth token expired or missing, refreshing...");
    const freshToken = await oauthClient.getAccessToken();
    OAUTH_ACCESS_TOKEN = freshToken;
    logger.info("OAuth token refreshed successfully");
  } catch (error) {
    logger.error({ err: error }, "Failed to refresh OAuth token");
    throw error;
  }
}

// Permission mode gate: readonly exposes only read tools; modify blocks delete tools; full allows all
function isToolAllowedByPermissionMode(toolName: string): boolean {
  switch (GITLAB_PERMISSION_MODE) {
    case "readonly":
      return readOnlyTools.has(toolName);
    case "modify":
      return !deleteTools.has(toolName);
    default:
      return true;
  }
}

const GITLAB_DENIED_TOOLS_REGEX = (() => {
  const pattern = getConfig("denied-tools-regex", "GITLAB_DENIED_TOOLS_REGEX");
  if (!pattern) return undefined;

  // Reject patterns that are too long (potential ReDoS vector)
  const MAX_PATTERN_LENGTH = 200;
  if (pattern.length > MAX_PATTERN_LENGTH) {
    logger.error(
      `GITLAB_DENIED_TOOLS_REGEX pattern exceeds ${MAX_PATTERN_LENGTH} chars. Ignoring.`
    );
    return undefined;
  }

  // Reject patterns with nested quantifiers that can cause catastrophic backtracking (ReDoS)
  // e.g., (a+)+, (a*)+, (a+)*, (a{1,})+
  // Note: lookahead (?!), (?=), lookbehind (?<), and named groups (?<name>) are safe and allowed
  const NESTED_QUANTIFIER_PATTERN = /(\(.*[+*?].*\)|\[.*\])[+*?]/;
  if (NESTED_QUANTIFIER_PATTERN.test(pattern)) {
    logger.error(
      `GITLAB_DENIED_TOOLS_REGEX contains potentially unsafe nested quantifiers. Ignoring.`
    );
    return undefined;
  }

  try {
    const regex = new RegExp(pattern);
    // Dry-run against a sample string to catch immediate issues
    regex.test("sample_tool_name");
    return regex;
  } catch {
    logger.error(`Invalid GITLAB_DENIED_TOOLS_REGEX pattern: "${pattern}". Ignoring.`);
    return undefined;
  }
})();

// ---------------------------------------------------------------------------
// Tool policy: approve / hidden sets
// ---------------------------------------------------------------------------
const approveToolSet = new Set(
  (GITLAB_TOOL_POLICY_APPROVE_RAW || "")
    .split(",")
    .map(s => s.trim())
    .filter(Boolean)
);
const hiddenToolSet = new Set(
  (GITLAB_TOOL_POLICY_HIDDEN_RAW || "")
    .split(",")
    .map(s => s.trim())
    .filter(Boolean)
);

// Validate approve/hidden tool names against known tools at startup
{
  const knownToolNames = new Set(allTools.map(t => t.name));
  for (const name of approveToolSet) {
    if (!knownToolNames.has(name)) {
      logger.warn(
        { event: "unknown_approve_tool", name },
        `GITLAB_TOOL_POLICY_APPROVE contains unknown tool: "${name}"`
      );
    }
  }
  for (const name of hiddenToolSet) {
    if (!knownToolNames.has(name)) {
      logger.warn(
        { event: "unknown_hidden_tool", name },
        `GITLAB_TOOL_POLICY_HIDDEN contains unknown tool: "${name}"`
      );
    }
  }
}

const clientPool = new GitLabClientPool({
  apiUrls: (getConfig("api-url", "GITLAB_API_URL") || "https://gitlab.com")
    .split(",")
    .map(normalizeGitLabApiUrl),
  httpProxy: HTTP_PROXY,
  httpsProxy: HTTPS_PROXY,
  noProxy: NO_PROXY,
  rejectUnauthorized: NODE_TLS_REJECT_UNAUTHORIZED !== "0",
  caCertPath: GITLAB_CA_CERT_PATH,
  poolMaxSize: GITLAB_POOL_MAX_SIZE,
});

// Create cookie jar with clean Netscape file parsing
// Resolve cookie path once using os.homedir() for cross-platform support
const resolvedCookiePath = GITLAB_AUTH_COOKIE_PATH
  ? GITLAB_AUTH_COOKIE_PATH.startsWith("~/")
    ? path.join(os.homedir(), GITLAB_AUTH_COOKIE_PATH.slice(2))
    : GITLAB_AUTH_COOKIE_PATH
  : null;

const createCookieJar = async (): Promise<CookieJar | null> => {
  if (!resolvedCookiePath) return null;

  let cookieContent: string;
  try {
    cookieContent = await fs.promises.readFile(resolvedCookiePath, "utf8");
  } catch (error) {
    logger.error({ error, path: resolvedCookiePath }, "Failed to read cookie file");
    return null;
  }

  const jar = new CookieJar();
  for (let line of cookieContent.split("\n")) {
    // Handle #HttpOnly_ prefix
    if (line.startsWith("#HttpOnly_")) {
      line = line.slice(10);
    }
    // Skip comments and empty lines
    if (line.startsWith("#") || !line.trim()) {
      continue;
    }

    // Parse Netscape format: domain, flag, path, secure, expires, name, value
    const parts = line.split("\t");
    if (parts.length >= 7) {
      const [domain, , cookiePath, secure, expires, name, value] = parts;

      // Build cookie string in standard format
      const secureFlag = secure === "TRUE" ? "; Secure" : "";
      const expiresFlag =
        expires === "0"
          ? ""
          : `; Expires=${new Date(Number.parseInt(expires, 10) * 1000).toUTCString()}`;
      const cookieStr = `${name}=${value}; Domain=${domain}; Path=${cookiePath}${secureFlag}${expiresFlag}`;

      // Use tough-cookie's parse function for robust parsing
      const cookie = parseCookie(cookieStr);
      if (cookie) {
        const url = `${secure === "TRUE" ? "https" : "http"}://${domain.startsWith(".") ? domain.slice(1) : domain}`;
        jar.setCookieSync(cookie, url);
      }
    }
  }

  return jar;
};

// Auth retry helpers — extracted to auth-retry.ts for testability (no side effects)
export {
  headersToPlainObject,
  isNonReplayableBody,
  wrapWithAuthRetry,
  type AuthRetryConfig,
} from "./auth-retry.js";
import { wrapWithAuthRetry } from "./auth-retry.js";

/** Build AuthRetryConfig from module globals (lazy — reads globals at call time). */
function defaultAuthRetryConfig() {
  return {
    isOAuthEnabled: () => USE_OAUTH && oauthClient != null,
    refreshToken: (force: boolean) => oauthClient!.getAccessToken(force),
    onTokenRefreshed: (token: string) => {
      OAUTH_ACCESS_TOKEN = token;
    },
    buildAuthHeaders,
    logger,
  };
}

// Cookie jar and fetch - reloaded when cookie file changes
let cookieJar: CookieJar | null = null;
let fetch: typeof nodeFetch = wrapWithAuthRetry(nodeFetch, defaultAuthRetryConfig());
let lastCookieMtime = 0;
let cookieReloadLock: Promise<void> | null = null; // Mutex to prevent parallel reloads
// Auth proxies may redirect and set cookies on the first request. We make a throwaway
// request so subsequent requests have the correct cookies. Reset when cookies reload.
let initialSessionRequestMade = false;

// Cookie jar is loaded on first request via reloadCookiesIfChanged (lastCookieMtime=0 triggers load)

async function reloadCookiesIfChanged(): Promise<void> {
  if (!resolvedCookiePath) return;
  if (cookieReloadLock) return cookieReloadLock;

  cookieReloadLock = (async () => {
    try {
      const mtime = (await fs.promises.stat(resolvedCookiePath)).mtimeMs;
      if (mtime !== lastCookieMtime) {
        logger.info(
          { oldMtime: lastCookieMtime, newMtime: mtime },
          lastCookieMtime === 0 ? "Loading cookie file" : "Cookie file changed, reloading"
        );
        lastCookieMtime = mtime;
        const newJar = await createCookieJar();
        cookieJar = newJar;
        fetch = wrapWithAuthRetry(
          newJar ? fetchCookie(nodeFetch, newJar) : nodeFetch,
          defaultAuthRetryConfig()
        );
        initialSessionRequestMade = false;
      }
    } catch {
      // File deleted or inaccessible - clear cached cookies
      if (cookieJar) {
        logger.info("Cookie file removed, clearing cached cookies");
        cookieJar = null;
        fetch = wrapWithAuthRetry(nodeFetch, defaultAuthRetryConfig());
        lastCookieMtime = 0;
        initialSessionRequestMade = false;
      }
    }
  })();

  try {
    await cookieReloadLock;
  } finally {
    cookieReloadLock = null;
  }
}

async function ensureSessionForRequest(): Promise<void> {
  if (!resolvedCookiePath) return;

  await reloadCookiesIfChanged();

  if (!cookieJar || initialSessionRequestMade) return;

  try {
    const response = await fetch(`${getEffectiveApiUrl()}/user`, {
      ...getFetchConfig(),
      redirect: "follow",
    });
    // 401 means auth failed but the request completed - cookies were still exchanged
    initialSessionRequestMade = response.ok || response.status === 401;
  } catch {
    logger.debug("Session warmup request failed, will retry on next request");
  }
}

// Session auth context for remote authorization
interface SessionAuth {
  sessionId: string;
  header: "Authorization" | "Private-Token" | "JOB-TOKEN";
  token: string;
  lastUsed: number;
  apiUrl: string; // The API URL for the current request
  publicBaseUrl?: string;
}

interface AuthData {
  header: "Authorization" | "Private-Token" | "JOB-TOKEN";
  token: string;
  lastUsed: number;
  apiUrl: string;
  publicBaseUrl?: string;
}

const sessionAuthStore = new AsyncLocalStorage<SessionAuth>();

// Session context map for storing auth data by session ID
// This survives async boundaries where AsyncLocalStorage might not
const authBySession: Record<string, AuthData> = {};

function withPublicBaseUrl(
  authData: AuthData,
  publicBaseUrl?: string,
  previous?: AuthData
): AuthData {
  const effectivePublicBaseUrl = publicBaseUrl || previous?.publicBaseUrl;
  return effectivePublicBaseUrl ? { ...authData, publicBaseUrl: effectivePublicBaseUrl } : authData;
}

function updateSessionPublicBaseUrl(sessionId: string | undefined, publicBaseUrl?: string): void {
  if (sessionId && publicBaseUrl && authBySession[sessionId]) {
    authBySession[sessionId].publicBaseUrl = publicBaseUrl;
  }
}

// Base headers without authentication
const BASE_HEADERS: Record<string, string> = {
  Accept: "application/json",
  "Content-Type": "application/json",
};

/**
 * Build authentication headers dynamically based on context
 * In REMOTE_AUTHORIZATION or GITLAB_MCP_OAUTH mode, reads from AsyncLocalStorage session context
 * Otherwise, uses environment token (OAuth token is refreshed lazily before each tool call)
 */
function buildAuthHeaders(): Record<string, string> {
  if (REMOTE_AUTHORIZATION || GITLAB_MCP_OAUTH) {
    const ctx = sessionAuthStore.getStore();
    logger.debug({ context: ctx }, "buildAuthHeaders: session context");
    if (ctx?.token) {
      return {
        [ctx.header]: ctx.header === "Authorization" ? `Bearer ${ctx.token}` : ctx.token,
      };
    }
    return {}; // No auth headers if no session context
  }

  // Standard mode: PAT preferred over job token (broader permissions).
  // OAuth token takes priority over PAT when both are set.
  // NOTE: Changed in PR #400 — previously GITLAB_JOB_TOKEN had highest priority.
  // If both GITLAB_PERSONAL_ACCESS_TOKEN and GITLAB_JOB_TOKEN are set, PAT wins.
  const token = OAUTH_ACCESS_TOKEN || GITLAB_PERSONAL_ACCESS_TOKEN;

  if (IS_OLD && token) {
    return { "Private-Token": String(token) };
  }
  if (token) {
    return { Authorization: `Bearer ${token}` };
  }

  // Fall back to CI job token
  if (GITLAB_JOB_TOKEN) {
    return { "JOB-TOKEN": String(GITLAB_JOB_TOKEN) };
  }

  return {};
}

function usesJobTokenHeader(): boolean {
  if (GITLAB_JOB_TOKEN) return true;
  if (REMOTE_AUTHORIZATION || GITLAB_MCP_OAUTH) {
    const ctx = sessionAuthStore.getStore();
    return ctx?.header === "JOB-TOKEN";
  }
  return false;
}

/**
 * Get the effective GitLab API URL for the current request
 * In REMOTE_AUTHORIZATION mode with ENABLE_DYNAMIC_API_URL, reads from session context
 * Otherwise, uses environment GITLAB_API_URL
 */
function getEffectiveApiUrl(): string {
  if (ENABLE_DYNAMIC_API_URL) {
    const ctx = sessionAuthStore.getStore();
    if (ctx?.apiUrl) {
      return ctx.apiUrl;
    }
    logger.warn({ ctx }, "getEffectiveApiUrl: No context or apiUrl found, falling back to default");
  }
  return GITLAB_API_URL;
}

/**
 * Get fetch configuration with proper client from pool
 * Uses connection pooling when dynamic API URLs are enabled
 */

/**
 * Constructs the fetch configuration dynamically.
 * This function is called immediately before each `fetch` to ensure it runs
 * within the correct AsyncLocalStorage context, capturing the necessary auth
 * and API URL information for the current request.
 */
const getFetchConfig = () => {
  const effectiveApiUrl = getEffectiveApiUrl();
  const agent = clientPool.getAgentFunctionForUrl(effectiveApiUrl);

  return {
    headers: { ...BASE_HEADERS, ...buildAuthHeaders() },
    agent: agent,
  };
};
