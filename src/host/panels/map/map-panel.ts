/** The cluster map panel: one per restore key (dataset), revived after restarts by the serializer. */
import * as vscode from 'vscode';
import { mapGuards, type MapProtocol } from '../../../protocol/map';
import { BasePanel } from '../common/base-panel';
import { PanelRegistry } from '../common/panel-registry';
import type { MapDataSource } from './map-data-source';

export const MAP_VIEW_TYPE = 'embeddingLab.clusterMap';

const toArray = (v: Int32Array | number[]): number[] => Array.from(v);

export class MapPanel extends BasePanel<MapProtocol> {
  private static readonly panels = new PanelRegistry<MapPanel, MapDataSource>({
    viewType: MAP_VIEW_TYPE,
    titlePrefix: 'Cluster Map',
    create: (panel, extensionUri, source, log) => new MapPanel(panel, extensionUri, source, log),
  });

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: MapDataSource, log?: (m: string) => void) {
    super(panel, {
      extensionUri,
      bundle: 'map',
      title: source.title,
      restoreKey: source.restoreKey,
      guards: mapGuards,
      log,
      requests: {
        getPoints: () => source.getPoints(),
        neighbours: async ({ index, k }) => ({ index, neighbours: await source.neighbours(index, Math.min(k, 100)) }),
        search: ({ query }) => source.search(query),
        clearLabels: async ({ indices }) => {
          let cleared: number;
          try {
            cleared = await source.clearLabels(toArray(indices));
          } catch (e) {
            void vscode.window.showErrorMessage(`Embedding Lab: the labels were not cleared: ${e instanceof Error ? e.message : String(e)}`);
            throw e;
          }
          // The records fall back to their own labels: the webview refetches the points.
          if (cleared > 0) this.refresh('labels');
          return { cleared };
        },
      },
      commands: {
        labelRecords: async ({ indices, label }) => {
          try {
            await source.labelRecords(toArray(indices), label);
          } catch (e) {
            void vscode.window.showErrorMessage(`Embedding Lab: the labels were not saved: ${e instanceof Error ? e.message : String(e)}`);
            throw e;
          }
          // Colour by label shows the new labels: the webview refetches the points.
          this.refresh('labels');
        },
        annotateSelection: ({ indices }) => source.annotateSelection(toArray(indices)),
        openRecord: ({ index }) => source.openRecord?.(index),
      },
    });
    this._register(MapPanel.panels.track(source.restoreKey, this));
  }

  /** Shows the map for `source` (reusing an open one with the same restore key). */
  static show(extensionUri: vscode.Uri, source: MapDataSource, log?: (m: string) => void): MapPanel {
    return MapPanel.panels.show(extensionUri, source, log);
  }

  /** The open map for a restore key, if any (to send notifications after a job). */
  static get(restoreKey: string): MapPanel | undefined {
    return MapPanel.panels.get(restoreKey);
  }

  /** All open maps (e.g. to tell each one that annotations changed). */
  static all(): MapPanel[] {
    return MapPanel.panels.all();
  }

  /** The clustering changed: drop the source's cached points and make the webview refetch. */
  refresh(reason: string): void {
    this.source.invalidate?.();
    this.notify('dataChanged', { reason });
  }

  /**
   * Restores maps after a restart. `sourceFor(restoreKey)` rebuilds the data source, or
   * returns undefined when the project is gone (the panel is then closed).
   */
  static registerSerializer(
    extensionUri: vscode.Uri,
    sourceFor: (restoreKey: string) => Promise<MapDataSource | undefined>,
    log?: (m: string) => void,
  ): vscode.Disposable {
    return MapPanel.panels.registerSerializer(extensionUri, sourceFor, log);
  }
}
