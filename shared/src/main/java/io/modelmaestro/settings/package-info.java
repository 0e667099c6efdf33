/**
 * Runtime settings: the typed, validated keys of the {@code settings} table ({@link KnownSettings}) and their read
 * side ({@link RuntimeSettings}); the admin API writes them through {@code admin.SettingsAdmin}.
 */
@NullMarked
package io.modelmaestro.settings;

import org.jspecify.annotations.NullMarked;
