"""An MCP client over Streamable HTTP (PyPI's `mcp`, the reference SDK) for the server tests.

Usage: python mcp_http_client.py URL TOKEN ARGUMENTS_JSON
Connects to URL (the server's /mcp) with the bearer TOKEN ("-" for none), lists the tools, calls
make_short with ARGUMENTS_JSON and a progress callback, then calls get_short with a bad id, and
prints one JSON object: the tool names, the call's structured result and error flag, the progress
seen, and the bad call's error text. The SDK checks each structured result against the tool's
output schema, so a result that does not match fails here.
"""
import asyncio
import json
import sys

from mcp import ClientSession
from mcp.client.streamable_http import streamablehttp_client


async def main(url: str, token: str, arguments: dict) -> dict:
    headers = {} if token == "-" else {"Authorization": f"Bearer {token}"}
    async with streamablehttp_client(url, headers=headers) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
            progress = []

            async def on_progress(value, total, message):
                progress.append({"progress": value, "message": message})

            result = await session.call_tool("make_short", arguments, progress_callback=on_progress)
            bad = await session.call_tool("get_short", {"id": "nope"})
            return {
                "tools": sorted(tool.name for tool in tools.tools),
                "is_error": result.isError,
                "result": result.structuredContent,
                "text": [c.text for c in result.content if c.type == "text"],
                "progress": progress,
                "bad_is_error": bad.isError,
                "bad_text": [c.text for c in bad.content if c.type == "text"],
            }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3])))))
