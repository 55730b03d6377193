/** Geometry of the LGG slices and of both models' inputs. */
export const IMAGE_SIZE = 256;
export const IMAGE_CHANNELS = 3;

/** The three MR sequences stacked in every LGG slice, in channel order. */
export const CHANNEL_NAMES = ['pre-contrast', 'FLAIR', 'post-contrast'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];
