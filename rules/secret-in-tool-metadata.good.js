// The shop-ops server again (JavaScript, low-level Server): metadata names the variables to
// set, shows non-secret settings and presence checks; the tokens only authenticate fetch().

import { createHash } from "node:crypto";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  CallToolRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

const { SHOPIFY_ADMIN_TOKEN, SHOPIFY_STORE = "northwind-outfitters", LOG_LEVEL = "info" } = process.env;

const klaviyo = {
  baseUrl: "https://a.klaviyo.com/api",
  apiKey: process.env.KLAVIYO_PRIVATE_KEY,
};

const server = new Server({ name: "shop-ops", version: "1.4.2" }, { capabilities: { tools: {}, prompts: {}, resources: {} } });

const orderTool = {
  name: "list_orders",
  // ok (other rule or none expected here) secret-in-tool-metadata
  description: `List recent orders from ${SHOPIFY_STORE}.myshopify.com. Requires SHOPIFY_ADMIN_TOKEN (${SHOPIFY_ADMIN_TOKEN ? "set" : "missing"}).`,
  inputSchema: {
    type: "object",
    properties: { status: { type: "string", enum: ["open", "closed", "any"] } },
  },
};

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    orderTool,
    {
      name: "klaviyo_campaigns",
      // ok (other rule or none expected here) secret-in-tool-metadata
      description: "List Klaviyo campaigns from " + klaviyo.baseUrl + " (key ending " + (klaviyo.apiKey ?? "").slice(-4) + ")",
      inputSchema: { type: "object", properties: {} },
    },
    {
      name: "refund_order",
      description: "Refund a Shopify order",
      inputSchema: {
        type: "object",
        properties: {
          orderId: { type: "string", description: "Numeric order id" },
          gatewayKey: {
            type: "string",
            // ok (other rule or none expected here) secret-in-tool-metadata
            description: "Payment gateway key; omit to use the server's BRAINTREE_PRIVATE_KEY",
          },
        },
        required: ["orderId"],
      },
    },
    {
      name: "sync_inventory",
      // ok (other rule or none expected here) secret-in-tool-metadata
      title: `Inventory sync (ERP key ${createHash("sha256").update(process.env.ERP_API_TOKEN ?? "").digest("hex").slice(0, 8)})`,
      description: "Push inventory levels to the ERP",
      inputSchema: { type: "object", properties: { sku: { type: "string" } } },
    },
  ],
}));

server.setRequestHandler(ListPromptsRequestSchema, async () => ({
  prompts: [
    {
      name: "weekly_report",
      // ok (other rule or none expected here) secret-in-tool-metadata
      description: `Weekly sales report for ${SHOPIFY_STORE} (log level ${LOG_LEVEL})`,
      arguments: [{ name: "week", description: "ISO week, e.g. 2025-W14", required: true }],
    },
  ],
}));

server.setRequestHandler(ListResourcesRequestSchema, async () => ({
  resources: [
    {
      uri: "shop://config",
      name: "Shop configuration",
      // ok (other rule or none expected here) secret-in-tool-metadata
      description: `Variables loaded at startup: ${Object.keys(process.env).filter((k) => k.startsWith("SHOP")).join(", ")}`,
      mimeType: "application/json",
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  if (request.params.name === "list_orders") {
    const status = request.params.arguments?.status ?? "any";
    const res = await fetch(`https://${SHOPIFY_STORE}.myshopify.com/admin/api/2024-10/orders.json?status=${status}`, {
      // ok (other rule or none expected here) secret-in-tool-metadata
      headers: { "X-Shopify-Access-Token": SHOPIFY_ADMIN_TOKEN },
    });
    const { orders } = await res.json();
    return { content: [{ type: "text", text: orders.map((o) => `${o.name} ${o.total_price}`).join("\n") }] };
  }
  throw new Error(`unknown tool ${request.params.name}`);
});

await server.connect(new StdioServerTransport());
