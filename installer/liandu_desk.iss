; Inno Setup script for Liandu Desk (Windows). Build the one-folder bundle first (installer\build.ps1), then:
;   iscc installer\liandu_desk.iss
; Per-user install (no administrator rights), Start-menu and desktop shortcuts, in-place upgrade that keeps the data:
; the clerk's database, backups and logs live in %LOCALAPPDATA%\liandu-desk, outside {app}, and are never touched.

#define AppName "莲都区建设局案件管理系统"
#define AppShortName "Liandu Desk"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define Bundle "..\build\dist\liandu-desk"

[Setup]
; The AppId must never change: it is how an upgrade finds the installed copy.
AppId={{8E3C1F2A-5B7D-4C7E-9A41-6D2B0C9E7F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=丽水市莲都区建设局
DefaultDirName={localappdata}\Programs\LianduDesk
DefaultGroupName={#AppName}
PrivilegesRequired=lowest
DisableProgramGroupPage=yes
OutputDir=..\build\installer
OutputBaseFilename=LianduDesk-Setup-{#AppVersion}
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\liandu-desk.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found in Inno Setup's Languages folder: the wizard will be in English"
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "创建桌面快捷方式"; GroupDescription: "快捷方式："

[InstallDelete]
; An upgrade replaces the program folder's old files (never the data folder).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\liandu-desk.exe"; WorkingDir: "{app}"
Name: "{group}\卸载 {#AppShortName}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\liandu-desk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\liandu-desk.exe"; Description: "立即启动 {#AppName}"; Flags: nowait postinstall skipifsilent
