/**
 * Profile names the framework gives a meaning to.
 *
 * @module
 */

/**
 * The profile that applies no overrides: the experiment as defined. Its results are the published
 * ones, under `reports/<id>/`.
 */
export const FULL_PROFILE = "full";
