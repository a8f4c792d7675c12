/** placeholder */ package org.widerobust.adapters;
