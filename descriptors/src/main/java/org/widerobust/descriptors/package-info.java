/** placeholder */ package org.widerobust.descriptors;
