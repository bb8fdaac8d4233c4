/**
 * One connection and confirm channel, opened on first use and opened again after the broker
 * closed them (a restart, a network failure): the forwarder's retry simply publishes again.
 */
import { connect } from "amqplib";
import type { ChannelModel, ConfirmChannel, Message } from "amqplib";

/** An open confirm channel and the ids of messages the broker returned as unroutable. */
export interface OpenChannel {
  readonly channel: ConfirmChannel;
  readonly returned: Set<string>;
}

/** Opens lazily and reopens after a close; `setup` runs on every new channel (declare the exchange). */
export function lazyConfirmChannel(options: {
  readonly url: string;
  readonly connection: ChannelModel | undefined;
  readonly setup: (channel: ConfirmChannel) => Promise<void>;
}): { get(): Promise<OpenChannel>; close(): Promise<void> } {
  let current: Promise<OpenChannel> | undefined;
  let model: ChannelModel | undefined;
  const open = async (): Promise<OpenChannel> => {
    model = options.connection ?? (await connect(options.url));
    const owned = options.connection === undefined;
    const thisModel = model;
    try {
      const channel = await thisModel.createConfirmChannel();
      const returned = new Set<string>();
      const reset = (): void => {
        current = undefined;
        if (owned) void thisModel.close().catch(() => undefined);
      };
      // A closed channel or connection must not crash the process: the next publish reopens them.
      channel.on("error", () => undefined);
      channel.on("close", reset);
      channel.on("return", (message: Message) => {
        const id = message.properties.messageId as unknown;
        if (typeof id === "string") returned.add(id);
      });
      if (owned) {
        thisModel.on("error", () => undefined);
        thisModel.on("close", reset);
      }
      await options.setup(channel);
      return { channel, returned };
    } catch (error) {
      if (owned) await thisModel.close().catch(() => undefined);
      throw error;
    }
  };
  return {
    get: () => {
      current ??= open().catch((error: unknown) => {
        current = undefined;
        throw error;
      });
      return current;
    },
    close: async () => {
      const open_ = current;
      current = undefined;
      const channel = await open_?.catch(() => undefined);
      await channel?.channel.close().catch(() => undefined);
      if (options.connection === undefined) await model?.close().catch(() => undefined);
    },
  };
}
