/** placeholder */ package org.widerobust.datasets;
