/** placeholder */ package org.widerobust.plugin;
