//! The data directory: one sub-directory (one store) per project.

use super::error::{Error, Result};
use super::project::Project;
use super::refs::validate_project_name;
use super::store::local::LocalStore;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Parsed-node cache per open project.
pub const DEFAULT_CACHE_BYTES: usize = 256 << 20;

pub struct Engine {
    dir: PathBuf,
    cache_bytes: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectSummary {
    pub name: String,
    pub description: String,
    pub created_at: String,
    pub default_branch: String,
    pub branches: usize,
}

impl Engine {
    /// `ARGON_HOME`, else `$XDG_DATA_HOME/argon`, else `~/.local/share/argon`.
    pub fn default_dir() -> PathBuf {
        if let Some(h) = std::env::var_os("ARGON_HOME") {
            return PathBuf::from(h);
        }
        if let Some(x) = std::env::var_os("XDG_DATA_HOME") {
            return PathBuf::from(x).join("argon");
        }
        let home = std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."));
        home.join(".local/share/argon")
    }

    pub fn open(dir: &Path) -> Result<Engine> {
        let projects = dir.join("projects");
        std::fs::create_dir_all(&projects).map_err(|e| Error::io(&projects, e))?;
        Ok(Engine {
            dir: dir.to_path_buf(),
            cache_bytes: DEFAULT_CACHE_BYTES,
        })
    }

    pub fn with_cache_bytes(mut self, bytes: usize) -> Engine {
        self.cache_bytes = bytes;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn project_dir(&self, name: &str) -> PathBuf {
        self.dir.join("projects").join(name)
    }

    pub fn create_project(&self, name: &str, description: &str) -> Result<Project> {
        validate_project_name(name)?;
        let dir = self.project_dir(name);
        if dir.join("refs").exists() {
            return Err(Error::ProjectExists(name.to_string()));
        }
        let store = Arc::new(LocalStore::open(&dir)?);
        Project::open(name, store, Some(description), self.cache_bytes)
    }

    pub fn project(&self, name: &str) -> Result<Project> {
        let dir = self.project_dir(name);
        if validate_project_name(name).is_err() || !dir.join("refs").exists() {
            return Err(Error::ProjectNotFound(name.to_string()));
        }
        let store = Arc::new(LocalStore::open(&dir)?);
        Project::open(name, store, None, self.cache_bytes)
    }

    pub fn project_names(&self) -> Result<Vec<String>> {
        let projects = self.dir.join("projects");
        let mut names = Vec::new();
        for e in std::fs::read_dir(&projects).map_err(|e| Error::io(&projects, e))? {
            let e = e.map_err(|e| Error::io(&projects, e))?;
            if e.path().join("refs").exists() {
                names.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        names.sort();
        Ok(names)
    }

    pub fn list_projects(&self) -> Result<Vec<ProjectSummary>> {
        let mut out = Vec::new();
        for name in self.project_names()? {
            let p = self.project(&name)?;
            let refs = p.refs()?;
            out.push(ProjectSummary {
                name,
                description: refs.project.description.clone(),
                created_at: super::clock::format_ms(refs.project.created_at),
                default_branch: refs.project.default_branch.clone(),
                branches: refs.branches.len(),
            });
        }
        Ok(out)
    }

    pub fn delete_project(&self, name: &str) -> Result<()> {
        // Opening proves it is a project (and not some other directory).
        drop(self.project(name)?);
        let dir = self.project_dir(name);
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))
    }
}
