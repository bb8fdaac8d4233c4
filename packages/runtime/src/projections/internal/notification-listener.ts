/**
 * LISTEN for the store's append notifications. This belongs behind the storage seam (a
 * `Storage.listen(channel, callback)` method); until the seam has it, this adapter opens the
 * listening connection itself from the database config: a dedicated client of the `pg` pool, or
 * PGlite's in-process `listen()`. Any failure here degrades to polling, never to a stall.
 */
import pg from "pg";
import type { DatabaseConfig } from "../../storage/create-storage.js";

/** An open subscription to append notifications. */
export interface NotificationListener {
  close(): Promise<void>;
}

/** Listens on `channel`; resolves to `undefined` when the database cannot deliver notifications here. */
export async function openNotificationListener(database: DatabaseConfig, channel: string, onNotify: () => void): Promise<NotificationListener | undefined> {
  try {
    if (database.kind === "pglite") {
      if (!("instance" in database)) return undefined;
      const unlisten = await database.instance.listen(channel, onNotify);
      return { close: () => unlisten() };
    }
    const client = "pool" in database ? await database.pool.connect() : new pg.Client({ connectionString: database.connectionString });
    if (!("pool" in database)) await (client as pg.Client).connect();
    const handler = (message: pg.Notification): void => {
      if (message.channel === channel) onNotify();
    };
    client.on("notification", handler);
    // A dropped connection must not crash the process; the engine keeps polling.
    client.on("error", () => undefined);
    await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    return {
      close: async () => {
        client.off("notification", handler);
        if ("release" in client) (client as pg.PoolClient).release(true);
        else await (client as pg.Client).end();
      },
    };
  } catch {
    return undefined;
  }
}
