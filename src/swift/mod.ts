/**
 * The Swift API without zarr. {@link SwiftAccount} (its containers, totals,
 * metadata, the cluster's `/info`) and {@link SwiftContainer} (objects, listings,
 * bulk delete, Static Large Objects, metadata), both over an internal `Connection`
 * (a client and a storage URL). One file per concern: the container handle, its
 * options, containers reached through shared links, objects, listing, bulk delete,
 * deleting many, large objects, container and account metadata, info, server-side
 * copies (`copy.ts`) and object metadata updates (`object_post.ts`).
 *
 * Imports: `util/`, `http/`, `auth/`; nothing of `store/` (no store keys here:
 * objects are addressed by their names).
 *
 * @module
 */

export { type AccountInfo, SwiftAccount, type SwiftAccountOptions } from "./account.ts";
export { SwiftContainer } from "./container.ts";
export { copyObject, type CopyOptions, type CopyResult } from "./copy.ts";
export { updateObject, type UpdateObjectOptions } from "./object_post.ts";
export type { SwiftContainerOptions } from "./container_options.ts";
export type { DeleteCounts } from "./deleting.ts";
export type { Segment } from "./manifest.ts";
export type { DeleteOptions, PrefixDeleteResult } from "./prefix_delete.ts";
export type { ClusterInfo } from "./info.ts";
export type { LargeObjectOptions, SegmentSource } from "./large_object.ts";
export type { ContainerEntry, ListedObject } from "./listing.ts";
export type { ObjectHead, ObjectStream, PutOptions } from "./objects.ts";
