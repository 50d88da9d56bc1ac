"""Telegram channel implementation using python-telegram-bot."""

from __future__ import annotations

import asyncio
import re
import time
import unicodedata
from dataclasses import dataclass
from loguru import logger
from telegram import BotCommand, ReplyParameters, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters, ContextTypes
from telegram.request import HTTPXRequest

from nocobot.bus.events import OutboundMessage
from nocobot.bus.queue import MessageBus
from nocobot.channels.base import BaseChannel


@dataclass
class TelegramConfig:
    """Telegram channel configuration."""
    token: str = ""
    allow_from: list[str] | None = None
    proxy: str | None = None
    max_message_length: int = 4096
    rate_limit_messages: int = 10
    rate_limit_window: float = 60.0
    media_max_file_size: int = 20_971_520      # 20 MB
    media_max_total_size: int = 524_288_000     # 500 MB


TELEGRAM_MAX_MESSAGE_LEN = 4000


def _enforce_dir_cap(media_dir: "Path", max_total: int) -> None:
    """Delete oldest files until directory is under max_total bytes."""
    from pathlib import Path
    files = [f for f in media_dir.iterdir() if f.is_file()]
    files.sort(key=lambda f: f.stat().st_mtime)
    total = sum(f.stat().st_size for f in files)
    while total > max_total and files:
        oldest = files.pop(0)
        total -= oldest.stat().st_size
        oldest.unlink()
        logger.debug(f"Deleted oldest media file: {oldest.name}")


def _split_message(text: str, max_len: int = TELEGRAM_MAX_MESSAGE_LEN) -> list[str]:
    """Split text into chunks, preferring line breaks, then spaces, then hard cut."""
    if len(text) <= max_len:
        return [text]
    chunks: list[str] = []
    while text:
        if len(text) <= max_len:
            chunks.append(text)
            break
        # Try to split at a newline
        idx = text.rfind('\n', 0, max_len)
        if idx == -1:
            # Try to split at a space
            idx = text.rfind(' ', 0, max_len)
        if idx == -1:
            # Hard cut
            idx = max_len
        chunks.append(text[:idx])
        text = text[idx:].lstrip('\n')
    return chunks


def _strip_md(s: str) -> str:
    """Strip markdown inline formatting from text."""
    s = re.sub(r'\*\*(.+?)\*\*', r'\1', s)
    s = re.sub(r'__(.+?)__', r'\1', s)
    s = re.sub(r'~~(.+?)~~', r'\1', s)
    s = re.sub(r'`([^`]+)`', r'\1', s)
    return s.strip()


def _render_table_box(table_lines: list[str]) -> str:
    """Convert markdown pipe-table to compact aligned text for <pre> display."""

    def dw(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in ('W', 'F') else 1 for c in s)

    rows: list[list[str]] = []
    has_sep = False
    for line in table_lines:
        cells = [_strip_md(c) for c in line.strip().strip('|').split('|')]
        if all(re.match(r'^:?-+:?$', c) for c in cells if c):
            has_sep = True
            continue
        rows.append(cells)
    if not rows or not has_sep:
        return '\n'.join(table_lines)

    ncols = max(len(r) for r in rows)
    for r in rows:
        r.extend([''] * (ncols - len(r)))
    widths = [max(dw(r[c]) for r in rows) for c in range(ncols)]

    def dr(cells: list[str]) -> str:
        return '  '.join(f'{c}{" " * (w - dw(c))}' for c, w in zip(cells, widths))

    out = [dr(rows[0])]
    out.append('  '.join('─' * w for w in widths))
    for row in rows[1:]:
        out.append(dr(row))
    return '\n'.join(out)


def _markdown_to_telegram_html(text: str) -> str:
    """
    Convert markdown to Telegram-safe HTML.
    """
    if not text:
        return ""
    
    # 1. Extract and protect code blocks (preserve content from other processing)
    code_blocks: list[str] = []
    def save_code_block(m: re.Match) -> str:
        code_blocks.append(m.group(1))
        return f"\x00CB{len(code_blocks) - 1}\x00"
    
    text = re.sub(r'```[\w]*\n?([\s\S]*?)```', save_code_block, text)

    # 1.5. Convert markdown tables to box-drawing (reuse code_block placeholders)
    lines = text.split('\n')
    rebuilt: list[str] = []
    li = 0
    while li < len(lines):
        if re.match(r'^\s*\|.+\|', lines[li]):
            tbl: list[str] = []
            while li < len(lines) and re.match(r'^\s*\|.+\|', lines[li]):
                tbl.append(lines[li])
                li += 1
            box = _render_table_box(tbl)
            if box != '\n'.join(tbl):
                code_blocks.append(box)
                rebuilt.append(f"\x00CB{len(code_blocks) - 1}\x00")
            else:
                rebuilt.extend(tbl)
        else:
            rebuilt.append(lines[li])
            li += 1
    text = '\n'.join(rebuilt)

    # 2. Extract and protect inline code
    inline_codes: list[str] = []
    def save_inline_code(m: re.Match) -> str:
        inline_codes.append(m.group(1))
        return f"\x00IC{len(inline_codes) - 1}\x00"
    
    text = re.sub(r'`([^`]+)`', save_inline_code, text)
    
    # 3. Headers # Title -> just the title text
    text = re.sub(r'^#{1,6}\s+(.+)$', r'\1', text, flags=re.MULTILINE)
    
    # 4. Blockquotes > text -> just the text (before HTML escaping)
    text = re.sub(r'^>\s*(.*)$', r'\1', text, flags=re.MULTILINE)
    
    # 5. Escape HTML special characters
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    
    # 6. Links [text](url) - must be before bold/italic to handle nested cases
    text = re.sub(r'\[([^\]]+)\]\(([^)]+)\)', r'<a href="\2">\1</a>', text)
    
    # 7. Bold **text** or __text__
    text = re.sub(r'\*\*(.+?)\*\*', r'<b>\1</b>', text)
    text = re.sub(r'__(.+?)__', r'<b>\1</b>', text)
    
    # 8. Italic _text_ (avoid matching inside words like some_var_name)
    text = re.sub(r'(?<![a-zA-Z0-9])_([^_]+)_(?![a-zA-Z0-9])', r'<i>\1</i>', text)
    
    # 9. Strikethrough ~~text~~
    text = re.sub(r'~~(.+?)~~', r'<s>\1</s>', text)
    
    # 10. Bullet lists - item -> • item
    text = re.sub(r'^[-*]\s+', '• ', text, flags=re.MULTILINE)
    
    # 11. Restore inline code with HTML tags
    for i, code in enumerate(inline_codes):
        # Escape HTML in code content
        escaped = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace(f"\x00IC{i}\x00", f"<code>{escaped}</code>")
    
    # 12. Restore code blocks with HTML tags
    for i, code in enumerate(code_blocks):
        # Escape HTML in code content
        escaped = code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        text = text.replace(f"\x00CB{i}\x00", f"<pre><code>{escaped}</code></pre>")
    
    return text


class TelegramChannel(BaseChannel):
    """
    Telegram channel using long polling.
    
    Simple and reliable - no webhook/public IP needed.
    """
    
    name = "telegram"
    
    # Commands registered with Telegram's command menu
    BOT_COMMANDS = [
        BotCommand("start", "Start the bot"),
        BotCommand("new", "Start a new conversation"),
        BotCommand("stop", "Stop current processing"),
        BotCommand("help", "Show available commands"),
    ]
    
    def __init__(
        self,
        config: TelegramConfig,
        bus: MessageBus,
    ):
        super().__init__(config, bus)
        self.config: TelegramConfig = config
        self._app: Application | None = None
        self._typing_tasks: dict[str, asyncio.Task] = {}  # chat_id -> typing loop task
        self._media_group_buffers: dict[str, dict] = {}  # group_id -> buffered parts
        self._media_group_tasks: dict[str, asyncio.Task] = {}  # group_id -> flush task
    
    async def start(self) -> None:
        """Start the Telegram bot with long polling."""
        if not self.config.token:
            logger.error("Telegram bot token not configured")
            return
        
        self._running = True
        
        # Build the application with larger connection pool to avoid pool-timeout on long runs
        req = HTTPXRequest(connection_pool_size=16, pool_timeout=5.0, connect_timeout=30.0, read_timeout=30.0)
        builder = Application.builder().token(self.config.token).request(req).get_updates_request(req)
        if self.config.proxy:
            builder = builder.proxy(self.config.proxy).get_updates_proxy(self.config.proxy)
        self._app = builder.build()
        self._app.add_error_handler(self._on_error)
        
        # Add command handlers
        self._app.add_handler(CommandHandler("start", self._on_start))
        self._app.add_handler(CommandHandler("new", self._forward_command))
        self._app.add_handler(CommandHandler("help", self._forward_command))
        self._app.add_handler(CommandHandler("stop", self._forward_command))
        
        # Add message handler for text, photos, voice, documents
        self._app.add_handler(
            MessageHandler(
                (filters.TEXT | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.Document.ALL) 
                & ~filters.COMMAND, 
                self._on_message
            )
        )
        
        logger.info("Starting Telegram bot (polling mode)...")
        
        # Initialize and start polling
        await self._app.initialize()
        await self._app.start()
        
        # Get bot info and register command menu
        bot_info = await self._app.bot.get_me()
        logger.info(f"Telegram bot @{bot_info.username} connected")
        
        try:
            await self._app.bot.set_my_commands(self.BOT_COMMANDS)
            logger.debug("Telegram bot commands registered")
        except Exception as e:
            logger.warning(f"Failed to register bot commands: {e}")
        
        # Start polling (this runs until stopped)
        await self._app.updater.start_polling(
            allowed_updates=["message"],
            drop_pending_updates=True  # Ignore old messages on startup
        )
        
        # Keep running until stopped
        while self._running:
            await asyncio.sleep(1)
    
    async def stop(self) -> None:
        """Stop the Telegram bot."""
        self._running = False
        
        # Cancel media group flush tasks
        for task in self._media_group_tasks.values():
            task.cancel()
        self._media_group_tasks.clear()
        self._media_group_buffers.clear()

        # Cancel all typing indicators
        for chat_id in list(self._typing_tasks):
            self._stop_typing(chat_id)
        
        if self._app:
            logger.info("Stopping Telegram bot...")
            await self._app.updater.stop()
            await self._app.stop()
            await self._app.shutdown()
            self._app = None
    
    async def send(self, msg: OutboundMessage) -> None:
        """Send a message through Telegram."""
        if not self._app:
            logger.warning("Telegram bot not running")
            return

        try:
            chat_id = int(msg.chat_id)
        except ValueError:
            logger.error(f"Invalid chat_id: {msg.chat_id}")
            return

        is_progress = msg.metadata.get("_progress", False)

        reply_params = None
        reply_to_id = msg.metadata.get("message_id")
        if reply_to_id is not None:
            reply_params = ReplyParameters(
                message_id=reply_to_id,
                allow_sending_without_reply=True,
            )

        if is_progress:
            await self._send_text(chat_id, msg.content, reply_params=reply_params)
        else:
            self._stop_typing(msg.chat_id)
            chunks = _split_message(msg.content)
            for i, chunk in enumerate(chunks):
                rp = reply_params if i == 0 else None
                await self._send_with_streaming(chat_id, chunk, reply_params=rp)

    async def _send_text(self, chat_id: int, text: str, *, reply_params=None) -> None:
        """Send a single message with HTML conversion and plain-text fallback."""
        try:
            html_content = _markdown_to_telegram_html(text)
            await self._app.bot.send_message(
                chat_id=chat_id,
                text=html_content,
                parse_mode="HTML",
                reply_parameters=reply_params,
            )
        except Exception as e:
            logger.warning(f"HTML parse failed, falling back to plain text: {e}")
            try:
                await self._app.bot.send_message(
                    chat_id=chat_id,
                    text=text,
                    reply_parameters=reply_params,
                )
            except Exception as e2:
                logger.error(f"Error sending Telegram message: {e2}")

    async def _send_with_streaming(self, chat_id: int, text: str, *, reply_params=None) -> None:
        """Progressively reveal text via send_message + edit_message_text."""
        steps = 8
        length = len(text)

        if length < 80:
            await self._send_text(chat_id, text, reply_params=reply_params)
            return

        step_size = length // steps
        # Send the first slice
        first_end = step_size
        try:
            html_slice = _markdown_to_telegram_html(text[:first_end])
            sent = await self._app.bot.send_message(
                chat_id=chat_id,
                text=html_slice,
                parse_mode="HTML",
                reply_parameters=reply_params,
            )
        except Exception:
            await self._send_text(chat_id, text, reply_params=reply_params)
            return

        # Progressively edit with longer slices
        for i in range(2, steps):
            await asyncio.sleep(0.05)
            end = step_size * i
            try:
                html_slice = _markdown_to_telegram_html(text[:end])
                await self._app.bot.edit_message_text(
                    chat_id=chat_id,
                    message_id=sent.message_id,
                    text=html_slice,
                    parse_mode="HTML"
                )
            except Exception:
                pass

        # Final edit with full text
        await asyncio.sleep(0.15)
        try:
            html_full = _markdown_to_telegram_html(text)
            await self._app.bot.edit_message_text(
                chat_id=chat_id,
                message_id=sent.message_id,
                text=html_full,
                parse_mode="HTML"
            )
        except Exception:
            pass
    
    async def _on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle /start command."""
        if not update.message or not update.effective_user:
            return

        user = update.effective_user
        sender_id = str(user.id)
        if user.username:
            sender_id = f"{sender_id}|{user.username}"
        if not self.is_allowed(sender_id):
            logger.warning(f"Denied /start from {sender_id}")
            await update.message.reply_text("Sorry, you are not authorized to use this bot.")
            return
        await update.message.reply_text(
            f"Hi {user.first_name}! I'm nocobot - your NocoDB assistant.\n\n"
            "Send me a message and I'll help you work with your NocoDB data!\n"
            "Type /help to see available commands."
        )
    
    async def _forward_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Forward slash commands to the bus for unified handling in AgentLoop."""
        if not update.message or not update.effective_user:
            return
        user = update.effective_user
        sender_id = str(user.id)
        if user.username:
            sender_id = f"{sender_id}|{user.username}"
        await self._handle_message(
            sender_id=sender_id,
            chat_id=str(update.message.chat_id),
            content=update.message.text,
            metadata={"message_id": update.message.message_id},
        )
    
    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Handle incoming messages (text, photos, voice, documents)."""
        if not update.message or not update.effective_user:
            return
        
        message = update.message
        user = update.effective_user
        chat_id = message.chat_id
        
        # Use stable numeric ID, but keep username for allowlist compatibility
        sender_id = str(user.id)
        if user.username:
            sender_id = f"{sender_id}|{user.username}"
        
        # Build content from text and/or media
        content_parts = []
        media_paths = []
        
        # Text content
        if message.text:
            content_parts.append(message.text)
        if message.caption:
            content_parts.append(message.caption)
        
        # Handle media files
        media_file = None
        media_type = None
        
        if message.photo:
            media_file = message.photo[-1]  # Largest photo
            media_type = "image"
        elif message.voice:
            media_file = message.voice
            media_type = "voice"
        elif message.audio:
            media_file = message.audio
            media_type = "audio"
        elif message.document:
            media_file = message.document
            media_type = "file"
        
        # Download media if present
        if media_file and self._app:
            try:
                file = await self._app.bot.get_file(media_file.file_id)

                # Check file size before downloading
                max_size = self.config.media_max_file_size
                if file.file_size and file.file_size > max_size:
                    size_mb = file.file_size / 1_048_576
                    limit_mb = max_size / 1_048_576
                    content_parts.append(
                        f"[{media_type}: too large ({size_mb:.1f} MB, limit {limit_mb:.0f} MB)]"
                    )
                    logger.warning(f"Rejected {media_type} ({size_mb:.1f} MB) from {sender_id}")
                else:
                    ext = self._get_extension(media_type, getattr(media_file, 'mime_type', None))

                    from pathlib import Path
                    media_dir = Path.home() / ".nocobot" / "media"
                    media_dir.mkdir(parents=True, exist_ok=True)

                    file_path = media_dir / f"{media_file.file_id}{ext}"
                    await file.download_to_drive(str(file_path))

                    media_paths.append(str(file_path))
                    content_parts.append(f"[{media_type}: {file_path}]")
                    logger.debug(f"Downloaded {media_type} to {file_path}")

                    _enforce_dir_cap(media_dir, self.config.media_max_total_size)
            except Exception as e:
                logger.error(f"Failed to download media: {e}")
                content_parts.append(f"[{media_type}: download failed]")
        
        str_chat_id = str(chat_id)
        metadata = {
            "message_id": message.message_id,
            "user_id": user.id,
            "username": user.username,
            "first_name": user.first_name,
            "is_group": message.chat.type != "private",
        }

        # Buffer media group messages and flush as one
        group_id = message.media_group_id
        if group_id:
            if group_id not in self._media_group_buffers:
                self._media_group_buffers[group_id] = {
                    "sender_id": sender_id,
                    "chat_id": str_chat_id,
                    "content_parts": [],
                    "media_paths": [],
                    "metadata": metadata,
                }
            buf = self._media_group_buffers[group_id]
            buf["content_parts"].extend(content_parts)
            buf["media_paths"].extend(media_paths)
            # Restart the debounce timer
            old_task = self._media_group_tasks.pop(group_id, None)
            if old_task and not old_task.done():
                old_task.cancel()
            self._media_group_tasks[group_id] = asyncio.create_task(
                self._flush_media_group(group_id)
            )
            return

        content = "\n".join(content_parts) if content_parts else "[empty message]"
        logger.debug(f"Telegram message from {sender_id}: {content[:50]}...")

        # Start typing indicator before processing
        self._start_typing(str_chat_id)

        # Forward to the message bus
        await self._handle_message(
            sender_id=sender_id,
            chat_id=str_chat_id,
            content=content,
            media=media_paths,
            metadata=metadata,
        )
    
    async def _flush_media_group(self, group_id: str) -> None:
        """Wait for all media group messages to arrive, then forward as one."""
        try:
            await asyncio.sleep(0.6)
        except asyncio.CancelledError:
            return
        buf = self._media_group_buffers.pop(group_id, None)
        self._media_group_tasks.pop(group_id, None)
        if not buf:
            return
        content = "\n".join(buf["content_parts"]) if buf["content_parts"] else "[empty message]"
        chat_id = buf["chat_id"]
        logger.debug(f"Flushing media group {group_id}: {len(buf['media_paths'])} files")
        self._start_typing(chat_id)
        await self._handle_message(
            sender_id=buf["sender_id"],
            chat_id=chat_id,
            content=content,
            media=buf["media_paths"],
            metadata=buf["metadata"],
        )

    def _start_typing(self, chat_id: str) -> None:
        """Start sending 'typing...' indicator for a chat."""
        # Cancel any existing typing task for this chat
        self._stop_typing(chat_id)
        self._typing_tasks[chat_id] = asyncio.create_task(self._typing_loop(chat_id))
    
    def _stop_typing(self, chat_id: str) -> None:
        """Stop the typing indicator for a chat."""
        task = self._typing_tasks.pop(chat_id, None)
        if task and not task.done():
            task.cancel()
    
    async def _typing_loop(self, chat_id: str) -> None:
        """Repeatedly send 'typing' action until cancelled."""
        try:
            while self._app:
                await self._app.bot.send_chat_action(chat_id=int(chat_id), action="typing")
                await asyncio.sleep(4)
        except asyncio.CancelledError:
            pass
        except Exception as e:
            logger.debug(f"Typing indicator stopped for {chat_id}: {e}")
    
    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log polling / handler errors instead of silently swallowing them."""
        err_str = str(context.error)
        if self.config.token:
            err_str = err_str.replace(self.config.token, "[REDACTED]")
        logger.error("Telegram error: {}", err_str)

    def _get_extension(self, media_type: str, mime_type: str | None) -> str:
        """Get file extension based on media type."""
        if mime_type:
            ext_map = {
                "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
                "audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a",
            }
            if mime_type in ext_map:
                return ext_map[mime_type]
        
        type_map = {"image": ".jpg", "voice": ".ogg", "audio": ".mp3", "file": ""}
        return type_map.get(media_type, "")
